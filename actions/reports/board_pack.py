"""The board pack: the board's papers as one PDF (cover, summary by weakness, the grid,
measures, calibration and each weakness's page), as at the end of a past day, made once
and shared through the database cache.

Making a pack takes WeasyPrint tens of seconds on a busy machine, so a request cannot be
allowed to force one at will:

- Only the grid's own parameters (its filter's fields and `plan`) make a pack, and the
  pack's cache key is made of their cleaned values (a weakness by pk, the "as at" date as
  a date, an empty filter as none), so the same pack however it is asked for is made once.
  An unknown parameter or a bad value is refused (400), never silently ignored.
- At most BOARD_PACK_RENDERS packs are made at once across every app server: slots kept
  in the shared cache with `cache.add`. A request that finds no slot free (or its pack
  being made elsewhere) and no pack made is told to come back (503 with Retry-After) at
  once, holding no worker. A render that fails frees its slot at once; one whose server
  was killed frees it when the slot's timeout (SLOT_SECONDS) runs out.
"""

import datetime
import hashlib
import uuid
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import connection, models
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone

from actions.filters import grid_actions
from actions.models import Rating
from actions.rules.text import printable
from weaknesses.models import Verdict
from wsoa_tracker import history_guard

from .calibration import calibrations
from .charts import measures_with_charts
from .grid import ProgressGrid, summary_rows

PACK_KEPT_FOR = 24 * 60 * 60
# Longer than the slowest render seen (170 s on a busy machine), so that a slow render
# keeps its slot; a killed one's slot is free again at most this long after it started.
SLOT_SECONDS = 5 * 60
RETRY_AFTER = 60  # seconds: what a request that found no slot is told to wait


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
    status, template = 503, "actions/board_pack_preparing.html"

    def response(self, request):
        response = super().response(request)
        response["Retry-After"] = str(RETRY_AFTER)
        return response


def known_parameters():
    from actions.filters import GridFilter

    return frozenset(GridFilter.base_filters) | {"plan"}


@dataclass
class PackRequest:
    plan: object
    actions: object
    as_at: datetime.date
    today: datetime.date
    key: str


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
    filters = tuple(
        sorted(
            (name, value.pk if isinstance(value, models.Model) else value)
            for name, value in cleaned.items()
            if name != "as_at" and value not in (None, "", False)
        )
    )
    # As at the end of yesterday unless the board asks otherwise, so that the pack is the
    # same for every member all day and made once; a day after today is today.
    today = timezone.localdate()
    as_at = as_at.day if not as_at.is_now else today - datetime.timedelta(days=1)
    # Ratings recorded after the "as at" day cannot change the pack (it reads their
    # history as at that day) unless a filter reads the current ratings.
    ratings_matter = as_at >= today or bool(filters)
    version = history_guard.record_version(
        connection, apps, excluding=() if ratings_matter else (Rating.history.model,)
    )
    parts = (plan.pk, as_at, today, filters, version)
    key = "board-pack:" + hashlib.sha256(repr(parts).encode()).hexdigest()
    return PackRequest(plan, actions, as_at, today, key)


def board_pack_for(plan, query, base_url):
    """The board's papers for `plan` through the grid's filters in `query`: (pdf, as_at).
    Raises BadPackRequest or PackBeingPrepared (see the module's notes)."""
    pack = pack_request(plan, query)
    pdf = cached_pdf(
        pack.key,
        lambda: board_pack_pdf(
            board_pack_context(plan, pack.actions, pack.as_at, pack.today), base_url
        ),
    )
    return pdf, pack.as_at


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


def slot_keys():
    return [f"board-pack:slot:{n}" for n in range(max(1, settings.BOARD_PACK_RENDERS))]


def take_slot():
    """A render slot, shared by every app server through the cache, or None if all are
    taken. It frees itself after SLOT_SECONDS should its holder never free it."""
    token = uuid.uuid4().hex
    for key in slot_keys():
        if cache.add(key, token, timeout=SLOT_SECONDS):
            return key, token
    return None


def free_slot(slot):
    key, token = slot
    if cache.get(key) == token:  # not one that timed out and was taken again
        cache.delete(key)


def cached_pdf(key, make):
    """The pack kept under `key`, or made now if a slot is free and nobody else is making
    it; otherwise PackBeingPrepared, at once."""
    pdf = cache.get(key)
    if pdf is not None:
        return pdf
    slot = take_slot()
    if slot is None:
        raise PackBeingPrepared()
    try:
        making = key + ":making"
        if not cache.add(making, True, timeout=SLOT_SECONDS):
            raise PackBeingPrepared()
        try:
            pdf = make()
            cache.set(key, pdf, timeout=PACK_KEPT_FOR)
        finally:
            cache.delete(making)
    finally:
        free_slot(slot)
    return pdf
