import datetime
import functools
import logging

from django.apps import apps
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.db.models import Prefetch
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from weaknesses.models import Verdict
from wsoa_tracker import history_guard

from . import roles
from .charts import line_chart
from .exports import board_pack_pdf, cached_pdf, grid_csv_lines, grid_xlsx
from .filters import ActionFilter, GridFilter
from .forms import FigureForm, RatingForm, ReviewForm
from .models import (
    WARNING_SIGNS,
    Action,
    ActionOwner,
    Measure,
    Plan,
    Rating,
    Reviewer,
    attach_warning_updates,
)
from .reports import ProgressGrid, calibrations, summary_rows
from .services import (
    AlreadyReviewed,
    RatingConflict,
    rating_correct,
    rating_record,
    rating_review,
)

logger = logging.getLogger("wsoa_tracker.authz")


def role_required(view):
    """Only people in one of the tracker's roles see its pages."""

    @functools.wraps(view)
    def check(request, *args, **kwargs):
        if not roles.role_names(request.user) and not roles.is_administrator(request.user):
            deny(request, "has no role")
        return view(request, *args, **kwargs)

    return check


def deny(request, why, object_id=None):
    logger.warning(
        "authz_denied user=%s path=%s object=%s: %s",
        request.user.pk,
        request.path,
        object_id,
        why,
    )
    raise PermissionDenied


@role_required
def action_list(request):
    """ "My actions" for an officer; every action, filterable by owner, for the board."""
    today = timezone.localdate()
    sees_all = roles.sees_every_action(request.user)
    actions = Action.objects.for_list()
    if not sees_all:
        actions = actions.filter(pk__in=Action.objects.held_by(request.user).values("pk"))
    action_filter = ActionFilter(request.GET, queryset=actions) if sees_all else None
    if action_filter is not None:
        actions = action_filter.qs
    rows = [
        {"action": action, "latest": action.latest_rating(), "flags": action.flags(today)}
        for action in actions
    ]
    returned = [rating for row in rows for rating in row["action"].ratings.all() if rating.returned]
    return render(
        request,
        "actions/action_list.html",
        {
            "rows": rows,
            "filter": action_filter,
            "sees_all": sees_all,
            "today": today,
            "returned": returned,
        },
    )


@role_required
def action_detail(request, pk):
    action = get_object_or_404(
        Action.objects.select_related(
            "required_outcome__weakness", "required_outcome__plan"
        ).prefetch_related(
            Prefetch("action_owners", ActionOwner.objects.select_related("role__organisation")),
            Prefetch(
                "ratings",
                Rating.objects.select_related("recorded_by", "reviewed_by").order_by("-month"),
            ),
        ),
        pk=pk,
    )
    today = timezone.localdate()
    for rating in action.ratings.all():
        rating.reviewable = rating.awaiting_review and rating.can_be_reviewed_by(request.user)
    return render(
        request,
        "actions/action_detail.html",
        {
            "action": action,
            "ratings": action.ratings.all(),
            "history": action.rating_history(),
            "flags": action.flags(today),
            "can_update": action.can_be_updated_by(request.user),
        },
    )


def action_for_update(request, pk):
    action = get_object_or_404(Action.objects.in_plan_order(), pk=pk)
    if not action.can_be_updated_by(request.user):
        deny(request, "does not hold a role that owns this action", pk)
    return action


@require_http_methods(["GET", "POST"])
@role_required
def rating_create(request, pk):
    action = action_for_update(request, pk)
    form = RatingForm(request.POST or None, action=action)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            rating_record(
                action=action,
                month=form.cleaned_data["month"],
                user=request.user,
                **form.values(),
            )
        except RatingConflict as error:
            conflict = error.current
        else:
            return saved(request, action, "recorded")
    return render(
        request,
        "actions/rating_form.html",
        {"action": action, "form": form, "conflict": conflict},
    )


@require_http_methods(["GET", "POST"])
@role_required
def rating_correct_view(request, pk, year, month):
    action = action_for_update(request, pk)
    rating = get_object_or_404(Rating, action=action, month__year=year, month__month=month)
    form = RatingForm(request.POST or None, instance=rating, action=action)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            rating_correct(
                original=rating,
                user=request.user,
                expected_version=form.cleaned_data["version"],
                reason=form.cleaned_data["reason"],
                **form.values(),
            )
        except RatingConflict as error:
            conflict = error.current
            form = keep_text_against(form, conflict)
        else:
            return saved(request, action, "corrected")
    return render(
        request,
        "actions/rating_form.html",
        {"action": action, "form": form, "conflict": conflict, "rating": rating},
    )


# The board's challenge: reviewing officers' updates ------------------------------------


@role_required
def review_list(request):
    """Updates awaiting review, and those returned to their officers. Every role may read
    it; the reviewer of an update's weakness (never its officer) sees a link to review."""
    awaiting = list(Rating.objects.awaiting_review().for_review_list())
    returned = list(Rating.objects.returned().for_review_list().select_related("reviewed_by"))
    user = request.user
    return render(
        request,
        "actions/review_list.html",
        {
            "awaiting": [(rating, rating.can_be_reviewed_by(user)) for rating in awaiting],
            "returned": returned,
            "is_reviewer": bool(Reviewer.findings_reviewed_by(user)),
        },
    )


@require_http_methods(["GET", "POST"])
@role_required
def rating_review_view(request, pk, year, month):
    rating = get_object_or_404(
        Rating.objects.select_related(
            "action__required_outcome__weakness",
            "action__required_outcome__plan",
            "recorded_by",
            "reviewed_by",
        ),
        action_id=pk,
        month__year=year,
        month__month=month,
    )
    if not rating.can_be_reviewed_by(request.user):
        deny(request, "is not a reviewer of this weakness, or recorded this update", rating.pk)
    form = ReviewForm(request.POST or None, rating=rating)
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            rating_review(
                rating=rating,
                user=request.user,
                expected_version=data["version"],
                accept=data["decision"] == "accept",
                return_reason=data["return_reason"].strip(),
                board_rating=data["board_rating"],
                board_note=data["board_note"].strip(),
            )
        except (RatingConflict, AlreadyReviewed) as error:
            conflict = error.current
        else:
            what = "accepted" if data["decision"] == "accept" else "returned to the officer"
            messages.success(request, f"Update for {rating.action.code} {what}")
            return redirect("actions:review-list")
    return render(
        request,
        "actions/review_form.html",
        {"rating": rating, "action": rating.action, "form": form, "conflict": conflict},
    )


def keep_text_against(form, current):
    """The same form with the user's text, now based on the version that was saved."""
    data = form.data.copy()
    data["version"] = current.version
    kept = RatingForm(data, instance=current, action=form.action)
    kept.is_valid()
    return kept


def saved(request, action, what):
    messages.success(request, f"Update {what}")
    return redirect(action)


# The board's reports ------------------------------------------------------------------


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


def filtered_grid_actions(request, plan):
    return grid_actions_for(request.GET, plan)


def grid_actions_for(query, plan):
    """The plan's actions through the grid's filters, and the "as at" date if one is given."""
    actions = (
        Action.objects.filter(required_outcome__plan=plan)
        .in_plan_order()
        .with_latest_rating()
        .prefetch_related("measures__targets", "measures__figures")
    )
    grid_filter = GridFilter(query or None, queryset=actions, plan=plan)
    as_at = None
    if grid_filter.is_bound:
        grid_filter.is_valid()
        as_at = grid_filter.form.cleaned_data.get("as_at")
    return grid_filter, grid_filter.qs, as_at


@role_required
def progress_grid(request):
    plan = current_plan(request)
    grid_filter, actions, as_at = filtered_grid_actions(request, plan)
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
    _, actions, as_at = filtered_grid_actions(request, plan)
    response = StreamingHttpResponse(
        grid_csv_lines(plan, actions, as_at), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{export_name(plan, as_at)}.csv"'
    return response


@role_required
def progress_grid_xlsx(request):
    plan = current_plan(request)
    _, actions, as_at = filtered_grid_actions(request, plan)
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
    pdf, as_at = board_pack_for(plan, request.GET, base_url=request.build_absolute_uri("/"))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{export_name(plan, as_at)}-board-pack.pdf"'
    )
    return response


def board_pack_for(plan, query, base_url):
    """The board's papers, as at the end of a past day: yesterday unless the board asks
    otherwise, so that the pack is the same for every member all day and made once."""
    _, actions, as_at = grid_actions_for(query, plan)
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


def export_name(plan, as_at):
    day = as_at or timezone.localdate()
    return f"{plan.short_name.lower()}-progress-as-at-{day:%Y-%m-%d}"


@role_required
def needs_attention(request):
    """Every action showing a warning sign, by sign, each with its rule."""
    today = timezone.localdate()
    actions = attach_warning_updates(list(Action.objects.in_plan_order().with_warning_data()))
    by_sign = {sign.key: [] for sign in WARNING_SIGNS}
    for action in actions:
        for sign in action.warning_signs(today):
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


# Measures -----------------------------------------------------------------------------


def measures_with_charts(measures):
    return [
        {"measure": m, "points": (points := m.progress()), "chart": line_chart(m, points)}
        for m in measures
    ]


@role_required
def measure_list(request):
    plan = current_plan(request)
    measures = plan.measures.prefetch_related("targets", "figures", "findings").select_related(
        "group"
    )
    groups = plan.performance_groups.prefetch_related("framework_measures")
    return render(
        request,
        "actions/measure_list.html",
        {"plan": plan, "charts": measures_with_charts(measures), "groups": groups},
    )


@role_required
def measure_detail(request, slug):
    measure = get_object_or_404(
        Measure.objects.prefetch_related("targets", "figures__recorded_by", "actions", "findings"),
        slug=slug,
    )
    return render(
        request,
        "actions/measure_detail.html",
        {
            "measure": measure,
            "chart": measures_with_charts([measure])[0],
            "can_update": measure.can_be_updated_by(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
@role_required
def figure_create(request, slug):
    measure = get_object_or_404(Measure.objects.select_related("plan"), slug=slug)
    if not measure.can_be_updated_by(request.user):
        deny(request, "does not hold a role that owns this measure's actions", measure.pk)
    form = FigureForm(request.POST or None, measure=measure)
    if request.method == "POST" and form.is_valid():
        figure = form.save(commit=False)
        figure.recorded_by, figure.recorded_at = request.user, timezone.now()
        figure.save()
        messages.success(request, "Figure saved")
        return redirect(measure)
    return render(request, "actions/figure_form.html", {"measure": measure, "form": form})
