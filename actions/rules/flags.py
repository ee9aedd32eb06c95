"""The board's flags on an action: due for update, overdue and stuck, each with its rule
text beside its predicate (the pages and the reminders print that text). They are raised
on actions of a live plan only (rules.plan_life): a closed plan reads as a record.

They read the action's ratings in month order (prefetched by ActionQuerySet.for_list)
and the officer's latest update, reviewed or not: a flag asks whether the officer has
done the monthly update, not what the board accepted.
"""

from dataclasses import dataclass

from django.db.models import Q

from . import plan_life
from .periods import first_of_month, months_apart

GREEN = "green"  # RatingColour.GREEN
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


def in_month_order(action):
    return sorted(action.ratings.all(), key=lambda rating: rating.month)


def latest_update(action):
    """The officer's latest month's rating, whatever its approval, or None."""
    ratings = in_month_order(action)
    return ratings[-1] if ratings else None


def is_due_for_update(action, today):
    this_month = first_of_month(today)
    return not any(rating.month == this_month for rating in action.ratings.all())


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
