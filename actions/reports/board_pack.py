"""The board pack: the board's papers as one PDF (cover, summary by weakness, the grid,
measures, calibration and each weakness's page) as at one day, by default today (now,
like every other format): which request makes which pack, its cache key, its contents
and the PDF. Preparing packs ahead, the render slots and the cache are in
board_pack_preparation.py.

- Only the grid's own parameters (its filter's fields and `plan`) make a pack, and the
  pack's cache key is made of their cleaned values (a weakness by pk, the "as at" date as
  a date, an empty filter as none), so the same pack however it is asked for is made once.
  An unknown parameter, a bad value or a day after today is refused (400), never ignored.
- The key also holds the newest history row of each history table: history being
  append-only, a pack as at today is made again whenever anything changes.
- A filtered pack says so on its cover and holds only what the filter selects.
- The grid's quarters are printed QUARTERS_PER_PAGE to a page, never dropped.
"""

import datetime
import hashlib
from dataclasses import dataclass

from django.apps import apps
from django.db import connection, models
from django.db.models import Q
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from actions.filters import GridFilter, grid_actions
from actions.models import Rating
from actions.rules import rating_key
from actions.rules.text import printable
from weaknesses.models import Verdict
from wsoa_tracker import history_guard

from .calibration import calibrations
from .charts import measures_with_charts
from .grid import ProgressGrid, summary_rows

RETRY_AFTER = 5  # seconds: when the "being prepared" page looks again
QUARTERS_PER_PAGE = 8  # beside the action column, on a landscape A4 page


class PackUnavailable(Exception):
    """The pack cannot be given for this request; `response()` says why."""

    status, template = 500, ""

    def __init__(self, message="", **context):
        super().__init__(message)
        self.message, self.context = message, context

    def response(self, request):
        return render(
            request, self.template, {"message": self.message, **self.context}, status=self.status
        )


class BadPackRequest(PackUnavailable):
    status, template = 400, "actions/board_pack_refused.html"


class PackBeingPrepared(PackUnavailable):
    """Not made yet: 202 if its render has started or is queued for the next free render
    slot, 503 if it waits for a slot with nothing queued (no background jobs)."""

    template = "actions/board_pack_preparing.html"

    def response(self, request):
        self.status = 202 if self.context.get("started") or self.context.get("queued") else 503
        self.context["check_seconds"] = RETRY_AFTER
        response = super().response(request)
        response["Retry-After"] = str(RETRY_AFTER)
        return response


def known_parameters():
    return frozenset(GridFilter.base_filters) | {"plan", "area"}


@dataclass
class PackRequest:
    plan: object
    actions: object
    as_at: datetime.date
    today: datetime.date
    key: str
    view: str  # the same pack whatever is recorded: plan, day, today and filters
    filters: tuple = ()
    filtered_by: str = ""  # in words, for the cover


def pack_request(plan, query):
    """The pack `query` asks for, checked: its actions, "as at" day and cache key.
    Raises BadPackRequest for a parameter the pack does not know or a value it refuses."""
    unknown = sorted(set(query) - known_parameters())
    if unknown:
        raise BadPackRequest(
            f"“{unknown[0]}” is not a parameter the board pack knows.",
            known=sorted(known_parameters()),
        )
    grid_filter, actions, as_at = grid_actions(query, plan)
    if grid_filter.is_bound and not grid_filter.form.is_valid():
        raise BadPackRequest(
            "The board pack cannot be made with these filters.",
            errors=[
                (grid_filter.form.fields[name].label, message)
                for name, messages in grid_filter.form.errors.items()
                for message in messages
            ],
        )
    cleaned = grid_filter.form.cleaned_data if grid_filter.is_bound else {}
    chosen = [
        (name, value)
        for name, value in cleaned.items()
        if name != "as_at" and value not in (None, "", False)
    ]
    filters = tuple(
        sorted(
            (name, value.pk if isinstance(value, models.Model) else value) for name, value in chosen
        )
    )
    # As at now unless the board asks for an earlier day, like the grid and its exports
    # (rules.as_at refuses a day after today): the pack is made by the day, and as at
    # today it is everything recorded so far, which its cover gives to the minute.
    today = timezone.localdate()
    as_at = as_at.day
    # Ratings recorded after the "as at" day cannot change the pack (it reads their
    # history as at that day) unless a filter reads the current ratings.
    ratings_matter = as_at >= today or bool(filters)
    version = history_guard.record_version(
        connection, apps, excluding=() if ratings_matter else (Rating.history.model,)
    )
    view = (plan.pk, as_at, today, filters)
    key = "board-pack:" + hashlib.sha256(repr((*view, version)).encode()).hexdigest()
    view_key = "board-pack-view:" + hashlib.sha256(repr(view).encode()).hexdigest()
    words = filter_words(grid_filter, chosen)
    return PackRequest(plan, actions, as_at, today, key, view_key, filters, words)


def filter_words(grid_filter, chosen):
    """The filters in words for the cover: "weakness B; owner role SEN Manager (OCC)"."""
    words = []
    for name, value in chosen:
        label = str(grid_filter.form.fields[name].label).lower()
        if name == "weakness":
            words.append(f"weakness {value.code}")
        elif isinstance(value, bool):
            words.append(label)
        elif name == "latest_rating":
            words.append(f"{label} {rating_key.entry(value).word}")
        else:
            words.append(f"{label} {value}")
    return "; ".join(words)


def make_pdf(pack, base_url):
    """The pack `pack` (a PackRequest) as PDF bytes: tens of queries, then WeasyPrint."""
    return board_pack_pdf(board_pack_context(pack), base_url)


def board_pack_context(pack):
    plan = pack.plan
    grid = ProgressGrid(plan, pack.actions, as_at=pack.as_at, window=None)  # every quarter
    shown = [group.weakness.pk for group in grid.weaknesses]
    weaknesses = plan.findings.order_by("position").prefetch_related(
        "outcomes_sought", "verdicts__review", "continued_by__review"
    )
    measures = plan.measures.prefetch_related("targets", "figures")
    verdicts = Verdict.objects.filter(finding__in=plan.findings.all())
    if pack.filters:  # only what the filter selects
        action_ids = [row.action.pk for row in grid.rows()]
        measures = measures.filter(Q(findings__in=shown) | Q(actions__in=action_ids)).distinct()
        verdicts = verdicts.filter(finding__in=shown)
        weaknesses = weaknesses.filter(pk__in=shown)
    groups = {group.weakness.pk: group for group in grid.weaknesses}
    return {
        "plan": plan,
        "grid": grid,
        "as_at": pack.as_at,
        "today": pack.today,
        "made_at": timezone.localtime(),
        "filtered_by": pack.filtered_by,
        "grid_pages": grid_pages(grid),
        "measures": measures_with_charts(measures),
        "weaknesses": [
            (
                weakness,
                groups[weakness.pk],
                [(row, cell_html(row.latest, True)) for row in groups[weakness.pk].rows],
            )
            for weakness in weaknesses
            if weakness.pk in groups
        ],
        "calibrations": calibrations(
            verdicts.select_related("review", "finding").order_by(
                "review__start_date", "finding__position"
            )
        ),
    }


@dataclass
class GridPage:
    """Some of the grid's quarters: its heading, and its rows' cells as ready HTML."""

    heading: str
    quarters: list
    summary: list  # [(label, [count per quarter])]
    weaknesses: list  # [(weakness group, [(required outcome, [(row, cells html)])], counts)]


def grid_pages(grid):
    """The grid's quarters QUARTERS_PER_PAGE at a time, each part with every row."""
    chunks = [
        range(start, min(start + QUARTERS_PER_PAGE, len(grid.quarters)))
        for start in range(0, len(grid.quarters), QUARTERS_PER_PAGE)
    ] or [range(0)]
    summary = summary_rows(grid.summary_by_quarter())
    pages = []
    for number, chunk in enumerate(chunks, start=1):
        quarters = [grid.quarters[i] for i in chunk]
        heading = (
            f"Quarters {quarters[0]:%b %Y} - {quarters[-1]:%b %Y}" if quarters else "No quarters"
        )
        if len(chunks) > 1:
            heading += f" ({number} of {len(chunks)})"
        pages.append(
            GridPage(
                heading,
                quarters,
                [(label, [counts[i] for i in chunk]) for label, counts in summary],
                [
                    (
                        weakness,
                        [
                            (
                                group.required_outcome,
                                [
                                    (
                                        row,
                                        format_html_join(
                                            "", "{}", ((cell_html(row.cells[i]),) for i in chunk)
                                        ),
                                    )
                                    for row in group.rows
                                ],
                            )
                            for group in weakness.groups
                        ],
                        [weakness.summary[i] for i in chunk],
                    )
                    for weakness in grid.weaknesses
                ],
            )
        )
    return pages


def cell_html(cell, with_month=False):
    """A quarter's cell as one table cell, its rating's colour on the cell itself (no
    box inside it, which keeps WeasyPrint's layout cheap), with its notes (and month)."""
    notes = []
    if cell.officer_rating:
        notes.append(f"Board's rating; officer: {cell.get_officer_rating_display()}")
    if cell.pending_rating:
        notes.append(f"Awaiting approval: {cell.get_pending_rating_display()}")
    month = f" ({cell.month:%b %Y})" if with_month and cell.month else ""
    return format_html(
        '<td class="r {}">{}{}{}</td>',
        rating_key.entry(cell.rating).tag_class,
        cell.get_rating_display(),
        month,
        format_html_join("", '<span class="n">{}</span>', ((note,) for note in notes)),
    )


def board_pack_pdf(context, base_url):
    from weasyprint import HTML  # imported here: it loads Pango, which only the pack needs

    # Stored text may hold control characters typed before the forms refused them.
    html = printable(render_to_string("actions/board_pack.html", context))
    return HTML(string=html, base_url=base_url).write_pdf(pdf_variant="pdf/ua-1")
