"""The board's quarterly progress grid: weaknesses -> required outcomes -> actions x quarters.

A quarter's cell is what the board is shown (rules.shown) for the action's latest month in
the quarter that shows a rating. No rating in the quarter is "not rated", which is never
Grey. "As at" a past date, the grid is built from the ratings' history as it stood at the
end of that day, so the board can see what it was told then, whatever has been corrected
since. The page, the CSV, the XLSX and the board pack all build their rows here, over the
same quarters (rules.periods.quarters).
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field
from itertools import groupby

from django.db.models import CharField
from django.db.models.functions import Cast

from actions.models import Rating, RatingColour
from actions.models.action import attach_warning_data
from actions.rules import plan_life
from actions.rules.as_at import as_at_of
from actions.rules.periods import quarter_end, quarter_start, quarters
from actions.rules.shown import (
    NOT_RATED,
    is_awaiting_approval,
    shown_commentary,
    shown_rating,
)
from actions.rules.warning_signs import (
    UPDATE_FIELDS,
    Updates,
    attach_warning_updates,
    green_while_off_track,
    reads_before,
    warning_signs,
)

SUMMARY_ORDER = [*RatingColour.values, NOT_RATED]


@dataclass
class Cell:
    """A quarter of an action: the latest accepted rating in it (the board's own where it
    differs from the officer's) with the commentary accepted with it, and whether a later
    update there awaits review."""

    rating: str | None = None  # a RatingColour value, or None for not rated
    month: datetime.date | None = None
    commentary: str = ""
    officer_rating: str = ""  # the officer's accepted rating, where the board's differs
    pending_rating: str = ""  # an update awaiting approval, at or after `month`

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
            words += f"; awaiting approval: {self.get_pending_rating_display()}"
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
    def awaiting_approval(self):
        return any(cell.pending_rating for cell in self.cells)

    def measures_off_track(self):
        """Named only where the warning sign is raised (rules.warning_signs)."""
        if not any(sign.key == "green_measure_off_track" for sign in self.warnings):
            return []
        return green_while_off_track(self.action)


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


WINDOW = 8  # quarters a page shows at once; the files carry every quarter


@dataclass
class QuarterWindow:
    """The quarters a page shows of all the grid's: at most WINDOW, the latest unless
    `last` names another, with the quarter ends to link to for earlier and later ones."""

    quarters: list
    shown: list
    earlier: datetime.date | None = None  # the last quarter of the window before
    later: datetime.date | None = None  # the last quarter of the window after

    @classmethod
    def of(cls, quarters, last=None, size=WINDOW):
        """Raises ValueError when `last` is not one of `quarters`."""
        end = len(quarters) if last is None else quarters.index(last) + 1
        start = max(0, end - size)
        earlier = quarters[start - 1] if start else None
        later = quarters[min(len(quarters), end + size) - 1] if end < len(quarters) else None
        return cls(quarters, quarters[start:end], earlier, later)

    @property
    def partial(self):
        return len(self.shown) < len(self.quarters)


def quarter_asked(text):
    """The window's last quarter from `?quarters=2019-03`; ValueError if it is not one."""
    if not text:
        return None
    month = datetime.datetime.strptime(text, "%Y-%m").date()
    if month.month % 3:
        raise ValueError(f"{text} is not the last month of a quarter")
    return quarter_end(month)


class ProgressGrid:
    def __init__(self, plan, actions, as_at=None, today=None, last_quarter=None, window=WINDOW):
        """`actions` in plan order (ActionQuerySet.in_plan_order); `as_at` an AsAt (a date
        means the end of it, None now). With `today` and as at now, on a live plan, each
        row carries the action's warning signs, which read its ratings and measures
        (those fetched here: models.action.attach_warning_data). A page's grid shows a
        window of at most WINDOW quarters ending at `last_quarter` (the latest by default;
        `window=None`, as the board pack asks, shows every quarter); ValueError when that
        is not a quarter of the grid."""
        self.plan, self.as_at = plan, as_at_of(as_at)
        actions = list(actions)
        # The warning signs are raised on a live plan only: a closed one reads as a record.
        live = bool(today) and self.as_at.is_now and plan_life.is_live(plan, today)
        self.raises_signs = live
        if live:
            attach_warning_data(actions)
        ratings = ratings_as_at(self.as_at)
        columns = quarters(plan, ratings)
        self.window = QuarterWindow.of(columns, last_quarter, size=window or len(columns))
        self.quarters = self.window.shown
        first = self.quarters[0] if self.quarters else None
        latest = latest_by_quarter(
            ratings,
            actions,
            warnings_on=today if live else None,
            since=first and quarter_start(first),
        )
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
            if live:
                for row in (row for g in groups for row in g.rows):
                    row.warnings = warning_signs(row.action, today)
            group = WeaknessGroup(weakness, groups)
            group.summary = [
                Counter(row.cells[i].rating or NOT_RATED for row in group.rows)
                for i in range(len(self.quarters))
            ]
            self.weaknesses.append(group)

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
    """Ratings now, or as they stood at the AsAt's moment (a date: the end of that day),
    from their history."""
    as_at = as_at_of(as_at)
    if as_at.is_now:
        return Rating.objects.all()
    return Rating.history.as_of(as_at.moment)


# Items 1 to 6 are the warning signs' fields (rules.warning_signs.UPDATE_FIELDS); the
# month is read as its ISO text (psycopg2 sets DateStyle ISO), made a date once per month
# rather than once per row.
FIELDS = [
    "action_id",
    "month_text",
    "rating",
    "commentary",
    "evidence",
    "evidence_links",
    "wider_system",
    "shown_words",
    "approval_status",
    "accepted_rating",
    "board_rating",
    "source",
]
assert FIELDS[2:7] == UPDATE_FIELDS[1:]


def latest_by_quarter(ratings, actions, warnings_on=None, since=None):
    """{(action id, quarter end): Cell} holding the latest month's accepted rating in each
    quarter, with the words accepted with it (rules.shown.shown_commentary), marked where
    a month at or after it has an update awaiting approval; with `since`, of the months
    from that day on only (a page's window). One query; with `warnings_on` (a day, ratings
    now) the same rows also give each action the updates its warning signs read that day
    (rules.warning_signs.attach_warning_updates), so the grid reads its ratings once, and
    once more, in full, those of the actions whose signs may read before `since`
    (rules.warning_signs.reads_before)."""
    with_warning_updates = warnings_on is not None
    history = Rating.history.model
    words = shown_commentary(history, from_history=ratings.model is history)
    fields = FIELDS if with_warning_updates else [FIELDS[0], *FIELDS[1:3], *FIELDS[7:]]
    rows = (
        ratings.filter(action_id__in=[action.pk for action in actions])
        .annotate(shown_words=words, month_text=Cast("month", CharField()))
        .order_by("action_id", "month")
        .values_list(*fields)
    )
    whole = rows
    if since is not None:
        rows = rows.filter(month__gte=since)
    accepted, pending, by_action, months, current = {}, {}, {}, {}, None
    for row in rows:  # tens of thousands at 10x: the loop reads each row once
        action_id, rating = row[0], row[2]
        status, accepted_rating, board_rating, source = row[-4:]
        known = months.get(row[1])
        if known is None:
            day = datetime.date.fromisoformat(row[1])
            known = months[row[1]] = (day, quarter_end(day))
        month, end = known
        key = (action_id, end)
        if shown_rating(source, accepted_rating, board_rating, rating):
            accepted[key] = row  # months in order: the latest one stays
        if is_awaiting_approval(source, status):
            pending[key] = (month, rating)
        if with_warning_updates:
            if action_id != current:
                current, updates = action_id, by_action.setdefault(action_id, [])
            updates.append(row)
    if with_warning_updates:
        if since is not None:
            earlier = [
                action.pk
                for action in actions
                if reads_before(Updates(by_action.get(action.pk, [])), warnings_on)
            ]
            for action_id in earlier:
                by_action[action_id] = []
            for row in whole.filter(action_id__in=earlier) if earlier else []:
                by_action[row[0]].append(row)
        attach_warning_updates(actions, by_action)
    cells = {}
    for key, row in accepted.items():
        month, rating = months[row[1]][0], row[2]
        shown_words, _, accepted_rating, board_rating, source = row[-5:]
        cells[key] = Cell(
            shown_rating(source, accepted_rating, board_rating, rating),
            month,
            shown_words,
            officer_rating=accepted_rating if board_rating else "",
        )
    for key, (month, rating) in pending.items():
        cell = cells.setdefault(key, Cell())
        if cell.month is None or cell.month <= month:
            cell.pending_rating = rating
    return cells


def stream_rows(plan, actions, as_at=None, chunk_size=500):
    """The grid's quarters, then its rows a chunk of actions at a time, so that an export
    of a large plan never holds it all in memory."""
    ratings = ratings_as_at(as_at)
    columns = quarters(plan, ratings)
    yield columns
    chunk = []
    for action in actions.iterator(chunk_size=chunk_size):
        chunk.append(action)
        if len(chunk) == chunk_size:
            yield from rows_of(chunk, ratings, columns)
            chunk = []
    yield from rows_of(chunk, ratings, columns)


def rows_of(actions, ratings, columns):
    cells = latest_by_quarter(ratings, actions)
    for action in actions:
        yield ActionRow(action, [cells.get((action.pk, q), Cell()) for q in columns])


def summary_rows(counters):
    """[(label, [count per quarter])] in the key's order, for tables."""
    labels = {**dict(RatingColour.choices), NOT_RATED: "Not rated"}
    return [(labels[key], [counts[key] for counts in counters]) for key in SUMMARY_ORDER]
