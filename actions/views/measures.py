"""Measures of success: the list with charts, one measure, and adding a figure."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from actions import areas, permissions
from actions.forms import FigureForm, show_refusal
from actions.models import Measure
from actions.reports.charts import measures_with_charts
from actions.services import figure_add

from .access import deny, role_required
from .findings import as_at_refused, asked_as_at
from .reports import current_plan


@role_required
def measure_list(request):
    """The plan's measures, each from the figures known as at `?as_at=` (now by default)."""
    plan = current_plan(request)
    as_at, refused = asked_as_at(request)
    if refused:
        return as_at_refused(request, "Measures", refused)
    measures = plan.measures.prefetch_related("targets", "figures", "findings").select_related(
        "group"
    )
    groups = plan.performance_groups.prefetch_related("framework_measures")
    return render(
        request,
        "actions/measure_list.html",
        {
            "plan": plan,
            "charts": measures_with_charts(measures, as_at),
            "groups": groups,
            "as_at": as_at,
        },
    )


@role_required
def measure_detail(request, slug):
    measure = get_object_or_404(
        Measure.objects.select_related("plan").prefetch_related(
            "targets", "figures__recorded_by", "actions", "findings"
        ),
        slug=slug,
    )
    areas.check(request.user, measure.plan.area_id)
    return render(
        request,
        "actions/measure_detail.html",
        {
            "measure": measure,
            "chart": measures_with_charts([measure])[0],
            "can_update": permissions.may_add_figure(request.user, measure),
        },
    )


@require_http_methods(["GET", "POST"])
@role_required
def figure_create(request, slug):
    measure = get_object_or_404(Measure.objects.select_related("plan"), slug=slug)
    areas.check(request.user, measure.plan.area_id)
    if not permissions.may_add_figure(request.user, measure):
        deny(request, "does not hold a role that owns this measure's actions", measure.pk)
    form = FigureForm(request.POST or None, measure=measure)
    if request.method == "POST" and form.is_valid():
        try:
            figure_add(measure=measure, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, "Figure saved")
            return redirect(measure)
    return render(request, "actions/figure_form.html", {"measure": measure, "form": form})
