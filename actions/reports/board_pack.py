"""The board pack: the board's papers as one PDF (cover, summary by weakness, the grid,
measures, calibration and each weakness's page), as at the end of a past day, made once
and shared through the database cache."""

import datetime
import hashlib
import time

from django.apps import apps
from django.core.cache import cache
from django.db import connection
from django.template.loader import render_to_string
from django.utils import timezone

from actions.models import Rating
from actions.rules.text import printable
from weaknesses.models import Verdict
from wsoa_tracker import history_guard

from .calibration import calibrations
from .charts import measures_with_charts
from .grid import ProgressGrid, summary_rows


def board_pack_for(plan, query, base_url):
    """The board's papers for `plan` through the grid's filters in `query`, as at the end
    of a past day: yesterday unless the board asks otherwise, so that the pack is the same
    for every member all day and made once. Returns (pdf, as_at)."""
    from actions.filters import grid_actions

    _, actions, as_at = grid_actions(query, plan)
    today = timezone.localdate()
    as_at = as_at or today - datetime.timedelta(days=1)
    # Ratings recorded after the "as at" day cannot change the pack (it reads their
    # history as at that day) unless a filter reads the current ratings.
    filters = sorted((k, v) for k, v in query.lists() if k not in ("as_at", "plan"))
    ratings_matter = as_at >= today or any(any(v) for _, v in filters)
    version = history_guard.record_version(
        connection, apps, excluding=() if ratings_matter else (Rating.history.model,)
    )
    pdf = cached_pdf(
        (plan.pk, as_at, today, filters, version),
        lambda: board_pack_pdf(board_pack_context(plan, actions, as_at, today), base_url),
    )
    return pdf, as_at


def board_pack_context(plan, actions, as_at, today):
    grid = ProgressGrid(plan, actions, as_at=as_at)
    weaknesses = plan.findings.order_by("position").prefetch_related(
        "outcomes_sought", "verdicts__review", "continued_by__review"
    )
    return {
        "plan": plan,
        "grid": grid,
        "as_at": as_at,
        "today": today,
        "summary": summary_rows(grid.summary_by_quarter()),
        "measures": measures_with_charts(plan.measures.prefetch_related("targets", "figures")),
        "weaknesses": [
            (weakness, group)
            for weakness in weaknesses
            for group in grid.weaknesses
            if group.weakness == weakness
        ],
        "calibrations": calibrations(
            Verdict.objects.filter(finding__in=plan.findings.all())
            .select_related("review", "finding")
            .order_by("review__start_date", "finding__position")
        ),
    }


def board_pack_pdf(context, base_url):
    from weasyprint import HTML  # imported here: it loads Pango, which only the pack needs

    # Stored text may hold control characters typed before the forms refused them.
    html = printable(render_to_string("actions/board_pack.html", context))
    return HTML(string=html, base_url=base_url).write_pdf(pdf_variant="pdf/ua-1")


# Making the pack takes WeasyPrint seconds. Everyone asking for the same pack of the same
# record gets one copy, from the shared (database) cache; while one request makes it, the
# others wait for it rather than making it too.
PACK_KEPT_FOR = 24 * 60 * 60
PACK_WAIT = 60


def cached_pdf(parts, make):
    key = "board-pack:" + hashlib.sha256(repr(parts).encode()).hexdigest()
    pdf = cache.get(key)
    if pdf is not None:
        return pdf
    making = key + ":making"
    if not cache.add(making, True, timeout=PACK_WAIT):
        deadline = time.monotonic() + PACK_WAIT
        while time.monotonic() < deadline:
            time.sleep(0.2)
            pdf = cache.get(key)
            if pdf is not None:
                return pdf
    try:
        pdf = make()
        cache.set(key, pdf, timeout=PACK_KEPT_FOR)
    finally:
        cache.delete(making)
    return pdf
