"""The six warning signs: signs, computed from the data, that an action's rating may be
too kind. Each sign's rule text stands beside its predicate; the grid, the weakness
pages, Needs attention and the board pack print that text.

Each reads the officer's latest update, approved or not, since it is the officer's claim
the signs question. They are raised on actions of a live plan only (rules.plan_life): a
closed plan reads as a record. They read the ratings that `attach_warning_updates()` gives each
action in one query (else the action's own ratings), and its prefetched measures
(ActionQuerySet.with_warning_data).
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from actions.models import Rating, RatingColour

from . import plan_life
from .periods import last_day_of_month, months_apart


@dataclass(frozen=True)
class WarningSign:
    key: str
    title: str
    rule: str
    test: object  # (action, ratings in month order, today) -> bool

    def __str__(self):
        return self.title

    def raised(self, action, ratings, today):
        return bool(ratings) and self.test(action, ratings, today)


def green_without_evidence(action, ratings, today):
    latest = ratings[-1]
    return latest.rating == RatingColour.GREEN and not (latest.evidence.strip() or latest.links)


def overdue_not_red(action, ratings, today):
    return bool(action.due_date and action.due_date < today) and ratings[-1].rating in (
        RatingColour.AMBER,
        RatingColour.GREY,
    )


def unchanged(action, ratings, today):
    """The same rating and commentary since a month at least three months before today's
    month: June's update unchanged is flagged from September. Not for Green: completed
    work has nothing new to say, and "Green with no evidence" questions a weak Green."""
    latest = ratings[-1]
    if latest.rating == RatingColour.GREEN:
        return False
    since = latest
    for rating in reversed(ratings):
        if (rating.rating, rating.commentary.strip()) != (
            latest.rating,
            latest.commentary.strip(),
        ):
            break
        since = rating
    return months_apart(since.month, today) >= 3


def green_to_red(action, ratings, today):
    """The latest rating is Red and the latest before it that is not Red is Green (read
    back from the latest, so a long history is not read in full)."""
    if ratings[-1].rating != RatingColour.RED:
        return False
    for rating in reversed(ratings):
        if rating.rating != RatingColour.RED:
            return rating.rating == RatingColour.GREEN
    return False


def green_measure_off_track(action, ratings, today):
    latest = ratings[-1]
    return latest.rating == RatingColour.GREEN and bool(off_track_at_month(action, latest))


def off_track_at_month(action, rating):
    """The measures evidencing `action` that were off track at the end of `rating`'s month."""
    return measures_off_track(action, last_day_of_month(rating.month.year, rating.month.month))


def grey_without_wider_system(action, ratings, today):
    latest = ratings[-1]
    return latest.rating == RatingColour.GREY and not latest.wider_system.strip()


WARNING_SIGNS = [
    WarningSign(
        "green_without_evidence",
        "Green with no evidence",
        "The latest rating is Green but records no evidence, neither text nor a link.",
        green_without_evidence,
    ),
    WarningSign(
        "overdue_not_red",
        "Overdue but not Red",
        "The timescale's due date has passed and the latest rating is Amber or Grey: by now "
        "the action should be done (Green) or shown as behind (Red).",
        overdue_not_red,
    ),
    WarningSign(
        "unchanged",
        "No new commentary for three months",
        "The same rating, other than Green, with the same commentary since a month three or "
        "more months before this one (months with no update count as unchanged).",
        unchanged,
    ),
    WarningSign(
        "green_to_red",
        "Green to Red with no Amber",
        "The rating went from Green straight to Red, with no Amber in between.",
        green_to_red,
    ),
    WarningSign(
        "green_measure_off_track",
        "Green while a measure is off track",
        "The latest rating is Green while a measure of success that evidences the action was "
        "off track at its latest figure known by the end of that rating's month.",
        green_measure_off_track,
    ),
    WarningSign(
        "grey_without_wider_system",
        "Grey with no wider system named",
        "The latest rating is Grey but does not say which wider or alternative system is "
        "addressing the action.",
        grey_without_wider_system,
    ),
]
WARNING_SIGNS_BY_KEY = {sign.key: sign for sign in WARNING_SIGNS}


def warning_signs(action, today):
    """[WarningSign] raised for `action` on the day `today`, in WARNING_SIGNS order; none
    unless its plan is live that day."""
    if not plan_life.is_live(action.required_outcome.plan, today):
        return []
    ratings = getattr(action, "updates_for_warnings", None)
    if ratings is None:
        ratings = sorted(action.ratings.all(), key=lambda rating: rating.month)
    return [sign for sign in WARNING_SIGNS if sign.raised(action, ratings, today)]


def green_while_off_track(action):
    """The measures behind "Green while a measure is off track" for `action` (whose
    warning updates are attached), for the grid to name them."""
    updates = getattr(action, "updates_for_warnings", None) or []
    return off_track_at_month(action, updates[-1]) if updates else []


def measures_off_track(action, day):
    """The measures evidencing `action` off track at their latest figure for a period
    ending by `day` (reads the measures ActionQuerySet.with_warning_data fetched)."""
    return [
        m
        for m in action.warning_measures
        if (verdict := m.verdict_known_at(day)) and verdict.on_track is False
    ]


class UpdateForWarnings(NamedTuple):
    """The fields of a rating the warning signs read, without a model instance for each
    (a grid of thousands of actions reads tens of thousands of ratings)."""

    month: datetime.date
    rating: str
    commentary: str
    evidence: str
    evidence_links: str
    wider_system: str

    @property
    def links(self):
        return self.evidence_links.split()


UPDATE_FIELDS = list(UpdateForWarnings._fields)


class Updates(Sequence):
    """An action's ratings in month order as the signs read them: rows whose items 1 to 6
    are UPDATE_FIELDS (the month a date or its ISO text), each made an UpdateForWarnings
    only when a sign reads it (most read only the latest, and "unchanged" walks back only
    until the words change)."""

    __slots__ = ("rows",)

    def __init__(self, rows):
        self.rows = rows

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [update_of(row) for row in self.rows[index]]
        return update_of(self.rows[index])


def update_of(row):
    month = row[1]
    if isinstance(month, str):  # the grid reads months as ISO text (reports.grid)
        month = datetime.date.fromisoformat(month)
    return UpdateForWarnings(month, *row[2:7])


def reads_before(updates, today):
    """Whether the signs of an action whose latest `updates` (in month order) are these
    could read a month before the first of them: none to read, a run of Red back to the
    first ("Green to Red" reads the rating before the run), or the same words, not Green,
    back to the first and less than three months before `today` ("unchanged"). The grid
    reads the months of its window and asks again for the actions this names."""
    if not updates:
        return True
    first, latest = updates[0], updates[-1]
    if all(update.rating == RatingColour.RED for update in updates):
        return True
    if latest.rating == RatingColour.GREEN or months_apart(first.month, today) >= 3:
        return False
    words = (latest.rating, latest.commentary.strip())
    return all((update.rating, update.commentary.strip()) == words for update in updates)


def attach_warning_updates(actions, rows_by_action=None):
    """Give each action the ratings its warning signs read, in month order: from
    `rows_by_action` ({action id: [(action id, *UPDATE_FIELDS, ...)] in month order}),
    which the grid collects from the query for its cells; else in one query here."""
    if rows_by_action is None:
        rows_by_action = {action.pk: [] for action in actions}
        rows = (
            Rating.objects.filter(action_id__in=list(rows_by_action))
            .order_by("month")
            .values_list("action_id", *UPDATE_FIELDS)
        )
        for row in rows:
            rows_by_action[row[0]].append(row)
    for action in actions:
        action.updates_for_warnings = Updates(rows_by_action.get(action.pk, []))
    return actions
