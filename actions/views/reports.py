"""The board's reports: the quarterly progress grid with its filters and "as at", its CSV
and XLSX, the board pack, and Needs attention."""

from django.db import transaction
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from actions.filters import grid_actions
from actions.models import Action, Plan
from actions.reports.board_pack import PackUnavailable
from actions.reports.board_pack_preparation import serve
from actions.reports.exports import grid_csv_lines, grid_xlsx
from actions.reports.grid import ProgressGrid, summary_rows
from actions.reports.names import download_name
from actions.rules.warning_signs import WARNING_SIGNS, attach_warning_updates, warning_signs

from .access import role_required


def current_plan(request):
    """The plan named by `?plan=<slug>`, else the first plan (the WSOA), so that a later
    plan has its own grid and reports without changing the WSOA's."""
    slug = request.GET.get("plan")
    if slug:
        return get_object_or_404(Plan, slug=slug)
    plan = Plan.objects.order_by("first_quarter_end").first()
    if plan is None:
        raise Http404("No plan has been loaded")
    return plan


@role_required
def progress_grid(request):
    plan = current_plan(request)
    grid_filter, actions, as_at = grid_actions(request.GET, plan)
    grid = ProgressGrid(plan, actions, as_at=as_at, today=timezone.localdate())
    return render(
        request,
        "actions/grid.html",
        {
            "plan": plan,
            "grid": grid,
            "filter": grid_filter,
            "form": grid_filter.form,
            "as_at": as_at,
            "summary": summary_rows(grid.summary_by_quarter()),
            "measures": [
                (m, m.latest_verdict())
                for m in plan.measures.prefetch_related("targets", "figures", "findings")
            ],
            "query": request.GET.urlencode(),
            "warning_signs": WARNING_SIGNS,
            "plans": Plan.objects.order_by("first_quarter_end"),
            "filtering": any(key != "plan" for key in request.GET),
        },
    )


@role_required
def progress_grid_csv(request):
    plan = current_plan(request)
    _, actions, as_at = grid_actions(request.GET, plan)
    response = StreamingHttpResponse(
        grid_csv_lines(plan, actions, as_at), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{export_name(plan, as_at)}.csv"'
    return response


@role_required
def progress_grid_xlsx(request):
    plan = current_plan(request)
    _, actions, as_at = grid_actions(request.GET, plan)
    response = HttpResponse(
        grid_xlsx(plan, actions, as_at),
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
    day = as_at or timezone.localdate()
    return download_name(plan.short_name, f"progress-as-at-{day:%Y-%m-%d}")  # safe ASCII


@role_required
def needs_attention(request):
    """Every action showing a warning sign, by sign, each with its rule."""
    today = timezone.localdate()
    actions = attach_warning_updates(list(Action.objects.in_plan_order().with_warning_data()))
    by_sign = {sign.key: [] for sign in WARNING_SIGNS}
    for action in actions:
        for sign in warning_signs(action, today):
            by_sign[sign.key].append(action)
    return render(
        request,
        "actions/needs_attention.html",
        {
            "signs": [(sign, by_sign[sign.key]) for sign in WARNING_SIGNS],
            "today": today,
            "total": len({a.pk for found in by_sign.values() for a in found}),
        },
    )
