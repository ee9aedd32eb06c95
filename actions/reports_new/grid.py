"""The board's quarterly progress grid: weaknesses -> required outcomes -> actions x quarters.

A quarter's cell is the action's latest rating recorded for a month within the quarter. No
rating in the quarter is "not rated", which is never Grey. "As at" a past date, the grid is
built from the ratings' history as it stood at the end of that day, so the board can see
what it was told then, whatever has been corrected since.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field
from itertools import groupby

from django.db.models import Max
from django.utils import timezone

from .models import (
    Action,
    Rating,
    RatingColour,
    RatingSource,
    ReviewStatus,
    attach_warning_updates,
    last_day_of_month,
)

NOT_RATED = "not_rated"
SUMMARY_ORDER = [*RatingColour.values, NOT_RATED]


def quarter_end(month):
    """The last day of the quarter (named by its last month: Mar, Jun, Sep, Dec)."""
    return last_day_of_month(month.year, (month.month - 1) // 3 * 3 + 3)


def end_of_day(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.max))


@dataclass
class Cell:
    """A quarter of an action: the latest accepted rating in it (the board's own where it
    differs from the officer's), and whether a later update there awaits review."""

    rating: str | None = None  # a RatingColour value, or None for not rated
    month: datetime.date | None = None
    commentary: str = ""
    officer_rating: str = ""  # the officer's accepted rating, where the board's differs
    pending_rating: str = ""  # an update awaiting review, at or after `month`

    def get_rating_display(self):
        return RatingColour(self.rating).label if self.rating else "Not rated"

    def get_officer_rating_display(self):
        return RatingColour(self.officer_rating).label if self.officer_rating else ""

    def get_pending_rating_display(self):
        return RatingColour(self.pending_rating).label if self.pending_rating else ""

    def export_words(self):
        """The cell in words for CSV and XLSX."""
        words = self.get_rating_display()
        if self.officer_rating:
            words = f"{words} (board); officer {self.get_officer_rating_display()}"
        if self.pending_rating:
            words += f"; awaiting review: {self.get_pending_rating_display()}"
        return words


@dataclass
class ActionRow:
    action: object
    cells: list
    warnings: list = field(default_factory=list)

    @property
    def latest(self):
        rated = [cell for cell in self.cells if cell.rating]
        return rated[-1] if rated else Cell()

    @property
    def awaiting_review(self):
        return any(cell.pending_rating for cell in self.cells)


@dataclass
class RequiredOutcomeGroup:
    required_outcome: object
    rows: list


@dataclass
class WeaknessGroup:
    weakness: object
    groups: list
    summary: list = field(default_factory=list)  # one Counter per quarter

    @property
    def rows(self):
        return [row for group in self.groups for row in group.rows]


class ProgressGrid:
    def __init__(self, plan, actions, as_at=None, today=None):
        """`actions` in plan order (ActionQuerySet.in_plan_order); `as_at` a date or None.
        With `today` (and no `as_at`), each row carries the action's warning signs, which
        read its prefetched ratings and measures (ActionQuerySet.with_warning_data)."""
        self.plan, self.as_at = plan, as_at
        actions = list(actions)
        if today and as_at is None:
            attach_warning_updates(actions)
        latest = self.latest_by_quarter(actions)
        last_rated = max((quarter for _, quarter in latest), default=plan.last_quarter_end)
        self.quarters = plan.quarter_ends_until(max(plan.last_quarter_end, last_rated))
        self.weaknesses = []
        for weakness, in_weakness in groupby(actions, key=lambda a: a.required_outcome.weakness):
            groups = [
                RequiredOutcomeGroup(
                    required_outcome,
                    [
                        ActionRow(a, [latest.get((a.pk, q), Cell()) for q in self.quarters])
                        for a in rows
                    ],
                )
                for required_outcome, rows in groupby(in_weakness, key=lambda a: a.required_outcome)
            ]
            if today and as_at is None:
                for row in (row for g in groups for row in g.rows):
                    row.warnings = row.action.warning_signs(today)
            group = WeaknessGroup(weakness, groups)
            group.summary = [
                Counter(row.cells[i].rating or NOT_RATED for row in group.rows)
                for i in range(len(self.quarters))
            ]
            self.weaknesses.append(group)

    def latest_by_quarter(self, actions):
        return latest_by_quarter(ratings_as_at(self.as_at), [action.pk for action in actions])

    def rows(self):
        return [row for weakness in self.weaknesses for row in weakness.rows]

    def summary_by_quarter(self):
        """Counts by rating for each quarter, over every action in the grid."""
        totals = [Counter() for _ in self.quarters]
        for weakness in self.weaknesses:
            for total, counts in zip(totals, weakness.summary, strict=True):
                total.update(counts)
        return totals


def ratings_as_at(as_at):
    """Ratings now, or as they stood at the end of the day `as_at`, from their history."""
    if as_at is None:
        return Rating.objects.all()
    return Rating.history.as_of(end_of_day(as_at))


def accepted_word(source, accepted_rating, board_rating, rating):
    """The rating the board's reports show for a (historical) row: the board's own, else
    the accepted one. A rating printed in the published WSOA counts as accepted, whatever
    its history rows written before reviews existed say."""
    if board_rating:
        return board_rating
    if source == RatingSource.PUBLISHED_DOCUMENT:
        return accepted_rating or rating
    return accepted_rating


def latest_by_quarter(ratings, action_ids):
    """{(action id, quarter end): Cell} holding the latest month's accepted rating in each
    quarter, marked where a month at or after it has an update awaiting review."""
    accepted, pending = {}, {}
    values = ratings.filter(action_id__in=action_ids).values_list(
        "action_id",
        "month",
        "rating",
        "commentary",
        "review_status",
        "accepted_rating",
        "board_rating",
        "source",
    )
    for row in values:
        action_id, month, rating, commentary, status, accepted_rating, board_rating, source = row
        key = (action_id, quarter_end(month))
        shown = accepted_word(source, accepted_rating, board_rating, rating)
        if shown and (key not in accepted or accepted[key].month < month):
            accepted[key] = Cell(
                shown,
                month,
                commentary,
                officer_rating=accepted_rating if board_rating else "",
            )
        pending_update = status == ReviewStatus.SUBMITTED and source == RatingSource.USER
        if pending_update and (key not in pending or pending[key][0] < month):
            pending[key] = (month, rating)
    cells = dict(accepted)
    for key, (month, rating) in pending.items():
        cell = cells.setdefault(key, Cell())
        if cell.month is None or cell.month <= month:
            cell.pending_rating = rating
    return cells


def stream_rows(plan, actions, as_at=None, chunk_size=500):
    """The grid's quarters, then its rows a chunk of actions at a time, so that an export
    of a large plan never holds it all in memory."""
    ratings = ratings_as_at(as_at)
    last = ratings.filter(action__required_outcome__plan=plan).aggregate(last=Max("month"))
    quarters = plan.quarter_ends_until(
        quarter_end(last["last"]) if last["last"] else plan.last_quarter_end
    )
    yield quarters
    chunk = []
    for action in actions.iterator(chunk_size=chunk_size):
        chunk.append(action)
        if len(chunk) == chunk_size:
            yield from rows_of(chunk, ratings, quarters)
            chunk = []
    yield from rows_of(chunk, ratings, quarters)


def rows_of(actions, ratings, quarters):
    cells = latest_by_quarter(ratings, [action.pk for action in actions])
    for action in actions:
        yield ActionRow(action, [cells.get((action.pk, q), Cell()) for q in quarters])


def summary_rows(counters):
    """[(label, [count per quarter])] in the key's order, for tables."""
    labels = {**dict(RatingColour.choices), NOT_RATED: "Not rated"}
    return [(labels[key], [counts[key] for counts in counters]) for key in SUMMARY_ORDER]


# Calibration against the inspectors ----------------------------------------------------


@dataclass
class Picture:
    """The board's own picture of a finding's actions at the end of a day: each action's
    latest accepted rating then (the board's own where it differed), counted by word."""

    day: datetime.date
    counts: Counter
    total: int

    @property
    def green_share(self):
        """Percentage of the actions rated Green, or None with no actions."""
        return round(100 * self.counts[RatingColour.GREEN] / self.total) if self.total else None

    def rows(self):
        return [(label, counts[0]) for label, counts in summary_rows([self.counts])]


@dataclass
class Calibration:
    verdict: object
    picture: Picture


def calibrations(verdicts):
    """[Calibration] for each verdict: the board's picture of the verdict's finding as it
    stood at the end of the review's first day, built from the ratings' history (so that
    corrections made later do not change it). Two queries per review date."""
    verdicts = list(verdicts)
    pictures = {}
    for day in {verdict.review.start_date for verdict in verdicts}:
        findings = {v.finding_id for v in verdicts if v.review.start_date == day}
        pictures.update(pictures_as_at(day, findings))
    return [
        Calibration(verdict, pictures[verdict.review.start_date, verdict.finding_id])
        for verdict in verdicts
    ]


def pictures_as_at(day, finding_ids):
    """{(day, finding id): Picture} over the actions of plans begun by `day`."""
    actions = dict(
        Action.objects.filter(
            required_outcome__weakness_id__in=finding_ids,
            required_outcome__plan__first_quarter_end__lte=quarter_end(day),
        ).values_list("pk", "required_outcome__weakness_id")
    )
    latest = {}
    values = (
        ratings_as_at(day)
        .filter(action_id__in=list(actions))
        .values_list("action_id", "month", "source", "accepted_rating", "board_rating", "rating")
    )
    for action_id, month, source, accepted_rating, board_rating, rating in values:
        shown = accepted_word(source, accepted_rating, board_rating, rating)
        if shown and (action_id not in latest or latest[action_id][0] < month):
            latest[action_id] = (month, shown)
    pictures = {(day, finding): Picture(day, Counter(), 0) for finding in finding_ids}
    for action_id, finding in actions.items():
        picture = pictures[day, finding]
        picture.total += 1
        picture.counts[latest[action_id][1] if action_id in latest else NOT_RATED] += 1
    return pictures
