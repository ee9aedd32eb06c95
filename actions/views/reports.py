"""The board's reports: the quarterly progress grid with its filters and "as at", its CSV
and XLSX, the board pack, and Needs attention."""

import datetime

from django.db import transaction
from django.http import Http404, HttpResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils import timezone

from actions import areas
from actions.filters import GridFilter, filter_words, grid_actions
from actions.models import Action, Plan
from actions.reports import page_cache
from actions.reports.board_pack import PackUnavailable
from actions.reports.board_pack_preparation import serve
from actions.reports.exports import grid_csv_lines, grid_xlsx
from actions.reports.grid import ProgressGrid, quarter_asked, summary_rows
from actions.reports.names import download_name
from actions.rules import plan_life
from actions.rules.warning_signs import WARNING_SIGNS, attach_warning_updates, warning_signs

from .access import role_required


def current_plan(request):
    """The plan named by `?plan=<slug>` (of an area the person may see), else the first
    plan of the area asked for (`?area=`, else the person's first: actions.areas), so that
    a later plan has its own grid and reports without changing the first's, and a page
    is only ever one plan's, of one area."""
    slug = request.GET.get("plan")
    if slug:
        plan = get_object_or_404(
            Plan.objects.filter(area__in=areas.areas_of(request.user)).select_related("area"),
            slug=slug,
        )
        if request.GET.get(areas.AREA_PARAMETER, plan.area.slug) != plan.area.slug:
            raise Http404("That plan is another area's")
        return plan
    area = areas.asked(request)
    plan = (
        Plan.objects.filter(area=area).select_related("area").order_by("first_quarter_end").first()
    )
    if plan is None:
        raise Http404("No plan has been loaded")
    return plan


@role_required
def progress_grid(request):
    plan = current_plan(request)
    grid_filter, actions, as_at = grid_actions(request.GET, plan)
    if grid_filter.form.errors:
        return grid_page(request, plan, grid_filter, as_at)
    filtered = any(key not in ("plan", "area", "quarters", "as_at") for key in request.GET)
    # Keyed on the plan itself: `?plan=` may be absent, and the default is the person's.
    key = page_cache.section_key(f"grid-{plan.pk}", request.GET, as_at, ratings_filtered=filtered)
    try:
        # The form's choices are the record's and its values the query's: kept beside
        # the section it filters.
        section, form = page_cache.sections(
            {
                key: lambda: grid_section(request, plan, grid_filter, actions, as_at),
                f"{key}:filter": lambda: filter_form(request, plan, grid_filter),
            }
        ).values()
    except ValueError:
        return grid_page(
            request,
            plan,
            grid_filter,
            as_at,
            window_error=(
                "Choose quarters from the grid's “Earlier quarters” and “Later quarters” links"
            ),
        )
    return grid_page(request, plan, grid_filter, as_at, section, filter_html=form)


def grid_section(request, plan, grid_filter, actions, as_at):
    """The grid, its summary, its measures and its downloads, as HTML (reports.page_cache
    keeps it); ValueError for a window that is not one of the grid's."""
    grid = ProgressGrid(
        plan,
        actions,
        as_at=as_at,
        today=timezone.localdate(),
        last_quarter=quarter_asked(request.GET.get("quarters")),
    )
    context = {
        "grid": grid,
        "plan": plan,
        "as_at": as_at,
        "summary": summary_rows(grid.summary_by_quarter()),
        "measures": measures_as_at(plan, as_at),
        "query": view_parameters(plan, grid_filter, as_at).urlencode(),
        "window_query": window_query(request.GET),
    }
    return render_to_string("actions/includes/grid_section.html", context)


def grid_page(
    request,
    plan,
    grid_filter,
    as_at,
    section=None,
    window_error=None,
    status=None,
    filter_html=None,
):
    """The grid page; with the filter's errors (or the window's), the error summary and
    the form only: no grid and no downloads of a view that was not asked for."""
    refused = bool(grid_filter.form.errors) or window_error is not None
    if filter_html is None:
        filter_html = filter_form(request, plan, grid_filter)
    return render(
        request,
        "actions/grid.html",
        {
            "plan": plan,
            "section": None if refused else section,
            "filter": grid_filter,
            "form": grid_filter.form,
            "window_error": window_error,
            "filter_form": filter_html,
            "as_at": as_at,
            "record_note": plan_life.record_note(plan, as_at.day),
            "warning_signs": WARNING_SIGNS,
            "plans": Plan.objects.filter(area_id=plan.area_id).order_by("first_quarter_end"),
            "areas": areas.areas_of(request.user),
        },
        status=status or (400 if refused else 200),
    )


def filter_form(request, plan, grid_filter):
    """The grid's filter form, as HTML, open when the request filters or errs."""
    filtering = any(key not in ("plan", "area", "quarters") for key in request.GET)
    context = {"plan": plan, "form": grid_filter.form, "filtering": filtering}
    return render_to_string("actions/includes/grid_filter_form.html", context, request)


def view_parameters(plan, grid_filter, as_at):
    """The view's parameters, for its download links: its plan, its filters as asked, and
    its as at as a moment (rules.as_at), so that every file shows exactly this view."""
    query = QueryDict(mutable=True)
    query["plan"] = plan.slug
    for name in GridFilter.base_filters:
        if name != "as_at" and grid_filter.data.get(name):
            query[name] = grid_filter.data[name]
    query["as_at"] = as_at.query_value()
    return query


def window_query(query):
    """The page's parameters but the window, for its "Earlier/Later quarters" links."""
    kept = query.copy()
    kept.pop("quarters", None)
    return kept.urlencode()


def measures_as_at(plan, as_at):
    """[(measure, its latest verdict from the figures known then)]."""
    measures = plan.measures.prefetch_related("targets", "figures", "findings")
    return [(m, m.latest_verdict(as_at)) for m in measures]


@role_required
def progress_grid_csv(request):
    plan = current_plan(request)
    grid_filter, actions, as_at = grid_actions(request.GET, plan)
    if grid_filter.form.errors:
        return grid_page(request, plan, grid_filter, as_at)
    response = StreamingHttpResponse(
        grid_csv_lines(plan, actions, as_at, filter_words(grid_filter)),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{export_name(plan, as_at)}.csv"'
    return response


@role_required
def progress_grid_xlsx(request):
    plan = current_plan(request)
    grid_filter, actions, as_at = grid_actions(request.GET, plan)
    if grid_filter.form.errors:
        return grid_page(request, plan, grid_filter, as_at)
    response = HttpResponse(
        grid_xlsx(plan, actions, as_at, filter_words(grid_filter)),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{export_name(plan, as_at)}.xlsx"'
    return response


@transaction.non_atomic_requests  # read-only; the pack cache's lock must be seen at once
@role_required
def board_pack(request):
    plan = current_plan(request)
    try:
        pdf, as_at = serve(plan, request.GET, base_url=request.build_absolute_uri("/"))
    except PackUnavailable as problem:  # a bad request (400), or not made yet (202, 503)
        return problem.response(request)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{export_name(plan, as_at)}-board-pack.pdf"'
    )
    return response


def export_name(plan, as_at):
    """ "wsoa-progress-as-at-2018-03-31", or "...-2026-12-02-1041" for a moment."""
    if isinstance(as_at, datetime.date) or as_at is None:  # the board pack's day
        part = f"{as_at or timezone.localdate():%Y-%m-%d}"
    else:
        part = as_at.file_part()
    return download_name(plan.short_name, f"progress-as-at-{part}")  # safe ASCII


@role_required
def needs_attention(request):
    """Every action of a live plan showing a warning sign: the count per sign with its
    rule, then the actions grouped by weakness, each with its signs. Closed plans read as
    a record (rules.plan_life) and say so."""
    today = timezone.localdate()
    area = areas.asked(request)
    actions = attach_warning_updates(
        list(
            Action.objects.filter(required_outcome__plan__area=area)
            .in_plan_order()
            .with_warning_data()
        )
    )
    by_sign = {sign.key: [] for sign in WARNING_SIGNS}
    by_weakness = {}
    for action in actions:
        raised = warning_signs(action, today)
        for sign in raised:
            by_sign[sign.key].append(action)
        if raised:
            weakness = action.required_outcome.weakness
            latest = action.updates_for_warnings[-1]
            by_weakness.setdefault(weakness, []).append((action, latest, raised))
    plans = {action.required_outcome.plan for action in actions}
    return render(
        request,
        "actions/needs_attention.html",
        {
            "signs": [(sign, by_sign[sign.key]) for sign in WARNING_SIGNS],
            "weaknesses": [
                (weakness, rows, sum(len(raised) for *_, raised in rows))
                for weakness, rows in by_weakness.items()
            ],
            "record_notes": sorted(
                f"{plan.short_name}: {note}"
                for plan in plans
                if (note := plan_life.record_note(plan, today))
            ),
            "today": today,
            "area": area,
            "total": len({a.pk for found in by_sign.values() for a in found}),
        },
    )
