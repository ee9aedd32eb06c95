"""The board's flags on an action: due for update, overdue and stuck, each with its rule
text beside its predicate (the pages and the reminders print that text). They are raised
on actions of a live plan only (rules.plan_life): a closed plan reads as a record.

They read the action's updates in month order (given to a page's actions in one query by
`attach_updates()`, else the action's own ratings) and the officer's latest update,
reviewed or not: a flag asks whether the officer has done the monthly update, not what
the board accepted.
"""

import datetime
from dataclasses import dataclass
from typing import NamedTuple

from django.db.models import Q

from . import plan_life
from .periods import first_of_month, months_apart

GREEN = "green"  # RatingColour.GREEN
SUBMITTED, RETURNED = "submitted", "returned"  # ApprovalStatus (models import this module)
STUCK_MONTHS = 3


@dataclass(frozen=True)
class Flag:
    key: str
    title: str
    rule: str
    tag_class: str

    def __str__(self):
        return self.title


DUE_FOR_UPDATE = Flag(
    "due", "Due for update", "No update has been recorded for this month.", "govuk-tag--blue"
)
OVERDUE = Flag(
    "overdue",
    "Overdue",
    "The timescale's due date has passed and the latest update is not Green.",
    "govuk-tag--red",
)
STUCK = Flag(
    "stuck",
    "Stuck",
    f"The same rating, other than Green, for {STUCK_MONTHS} months or more, counted to this "
    "month (months with no update count as unchanged).",
    "govuk-tag--purple",
)
FLAGS = [DUE_FOR_UPDATE, OVERDUE, STUCK]


class UpdateForFlags(NamedTuple):
    """The fields of a rating that the flags and the actions list read, without a model
    instance for each (a page of a large plan has thousands of ratings)."""

    pk: int
    action_id: int
    month: datetime.date
    rating: str
    approval_status: str

    @property
    def awaiting_approval(self):
        return self.approval_status == SUBMITTED

    @property
    def returned(self):
        return self.approval_status == RETURNED


def attach_updates(actions):
    """Give each action (a list), in one query, its updates in month order as the flags
    and the actions list read them; returns the list."""
    from actions.models import Rating

    by_action = {action.pk: [] for action in actions}
    rows = (
        Rating.objects.filter(action_id__in=list(by_action))
        .order_by("month")
        .values_list(*UpdateForFlags._fields)
    )
    for row in rows:
        by_action[row[1]].append(UpdateForFlags._make(row))
    for action in actions:
        action.updates_for_flags = by_action[action.pk]
    return actions


def in_month_order(action):
    """The action's updates, oldest first: those attach_updates() gave it, or its ratings."""
    updates = getattr(action, "updates_for_flags", None)
    if updates is not None:
        return updates
    return sorted(action.ratings.all(), key=lambda rating: rating.month)


def latest_update(action):
    """The officer's latest month's rating, whatever its approval, or None."""
    ratings = in_month_order(action)
    return ratings[-1] if ratings else None


def is_due_for_update(action, today):
    this_month = first_of_month(today)
    return not any(rating.month == this_month for rating in in_month_order(action))


def is_overdue(action, today):
    latest = latest_update(action)
    return bool(action.due_date and action.due_date < today) and (
        latest is None or latest.rating != GREEN
    )


def is_stuck(action, today):
    """From the first month of the latest run of one rating to today's month, both counted:
    Amber in June and nothing since is stuck from August (June, July, August)."""
    ratings = in_month_order(action)
    if not ratings or ratings[-1].rating == GREEN:
        return False
    start = ratings[-1]
    for rating in reversed(ratings):
        if rating.rating != start.rating:
            break
        start = rating
    return months_apart(start.month, today) + 1 >= STUCK_MONTHS


PREDICATES = {"due": is_due_for_update, "overdue": is_overdue, "stuck": is_stuck}


def flags(action, today):
    """[Flag] raised for `action` on the day `today`, in FLAGS order; none unless its plan
    is live that day."""
    if not plan_life.is_live(action.required_outcome.plan, today):
        return []
    return [flag for flag in FLAGS if PREDICATES[flag.key](action, today)]


# The same rule in SQL, for the grid's "Overdue only" filter.


def overdue_condition(today):
    """OVERDUE as a condition on actions annotated with `latest_update_rating` (the
    word of the latest update, NULL if none): ActionQuerySet.overdue(). Live plans only."""
    # Not rated counts as not Green (a plain exclude would drop NULLs in SQL).
    return (
        plan_life.live_condition(today)
        & Q(due_date__lt=today)
        & (Q(latest_update_rating__isnull=True) | ~Q(latest_update_rating=GREEN))
    )
