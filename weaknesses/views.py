from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from actions.models import WARNING_SIGNS, Action
from actions.reports import ProgressGrid, calibrations
from actions.views import measures_with_charts, role_required

from .models import Finding, Verdict


@role_required
def finding_list(request):
    findings = Finding.objects.select_related("review").prefetch_related("verdicts")
    return render(request, "weaknesses/finding_list.html", {"findings": findings})


@role_required
def finding_detail(request, pk):
    """A finding's story in order: what was found, the plan's answer and where it stands,
    and what later reviews said."""
    finding = get_object_or_404(
        Finding.objects.select_related("review").prefetch_related(
            "outcomes_sought",
            "responsible_organisations",
            Prefetch("verdicts", Verdict.objects.select_related("review")),
            "continued_by__review",
            "continues__review",
            "plans",
        ),
        pk=pk,
    )
    plan = finding.plans.order_by("-first_quarter_end").first()
    grid = None
    if plan:
        actions = (
            Action.objects.filter(required_outcome__plan=plan, required_outcome__weakness=finding)
            .in_plan_order()
            .with_warning_data()
        )
        grid = ProgressGrid(plan, actions, today=timezone.localdate())
    measures = finding.measures.prefetch_related("targets", "figures")
    calibrated = calibrations(finding.verdicts.all())
    return render(
        request,
        "weaknesses/finding_detail.html",
        {
            "finding": finding,
            "plan": plan,
            "grid": grid,
            "charts": measures_with_charts(measures),
            "warning_signs": WARNING_SIGNS,
            "calibrations": calibrated,
        },
    )


@role_required
def calibration(request):
    """Every verdict beside the board's own picture of its finding on the review's first day."""
    verdicts = Verdict.objects.select_related("review", "finding").order_by(
        "review__start_date", "finding__position"
    )
    return render(request, "weaknesses/calibration.html", {"items": calibrations(verdicts)})
