from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from actions.forms import PublicSummaryForm
from actions.models import (
    WARNING_SIGNS,
    Action,
    PublicSummary,
    RatingColour,
    Reviewer,
)
from actions.reports import NOT_RATED, ProgressGrid, calibrations, pictures_as_at
from actions.views import deny, measures_with_charts, role_required

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
    published = finding.public_summaries.select_related("published_by").first()
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
            "published": published,
            "can_publish": finding.pk in Reviewer.findings_reviewed_by(request.user),
            "plans": plans_answering(finding),
        },
    )


@role_required
def calibration(request):
    """Every verdict beside the board's own picture of its finding on the review's first day."""
    verdicts = Verdict.objects.select_related("review", "finding").order_by(
        "review__start_date", "finding__position"
    )
    return render(request, "weaknesses/calibration.html", {"items": calibrations(verdicts)})


def plans_answering(finding):
    """[(plan, [actions])] answering the finding or the findings it continues or that
    continue it, over the years, oldest plan first."""
    related = {finding.pk}
    related |= {f.pk for f in finding.continues.all()} | {f.pk for f in finding.continued_by.all()}
    actions = (
        Action.objects.filter(required_outcome__weakness_id__in=related)
        .in_plan_order()
        .order_by(
            "required_outcome__plan__first_quarter_end",
            "required_outcome__weakness__position",
            "required_outcome__number",
            "number",
        )
    )
    plans = {}
    for action in actions:
        plans.setdefault(action.required_outcome.plan, []).append(action)
    return list(plans.items())


@require_http_methods(["GET", "POST"])
@role_required
def summary_publish(request, pk):
    """A reviewer of the finding writes the text families see on the public page."""
    finding = get_object_or_404(Finding.objects.select_related("review"), pk=pk)
    if finding.pk not in Reviewer.findings_reviewed_by(request.user):
        deny(request, "is not a reviewer of this finding", finding.pk)
    latest = finding.public_summaries.first()
    initial = (
        {name: getattr(latest, name) for name in PublicSummaryForm._meta.fields} if latest else {}
    )
    form = PublicSummaryForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        summary = form.save(commit=False)
        summary.finding, summary.published_by = finding, request.user
        summary.published_at = timezone.now()
        summary._change_reason = "Published for families"
        summary.save()
        messages.success(request, f"Summary of {finding.code} published on the progress page")
        return redirect(finding)
    return render(request, "weaknesses/summary_form.html", {"finding": finding, "form": form})


PLAIN_WORDS = {
    RatingColour.GREEN: "done, or being built into everyday work",
    RatingColour.AMBER: "in progress",
    RatingColour.RED: "little or no progress yet",
    RatingColour.GREY: "being handled through other work",
    NOT_RATED: "not yet checked",
}


@login_not_required
def public_progress(request):
    """The public page for families: only what a reviewer approved, and where each finding
    stands in words (counts of its actions' accepted ratings), no names, no commentary."""
    findings = list(
        Finding.objects.filter(public_summaries__isnull=False)
        .distinct()
        .select_related("review")
        .prefetch_related(
            Prefetch("public_summaries", PublicSummary.objects.order_by("-published_at")),
            Prefetch("verdicts", Verdict.objects.select_related("review")),
        )
        .order_by("review__start_date", "position")
    )
    today = timezone.localdate()
    pictures = pictures_as_at(today, {f.pk for f in findings}) if findings else {}
    items = []
    for finding in findings:
        picture = pictures[today, finding.pk]
        verdicts = list(finding.verdicts.all())
        items.append(
            {
                "finding": finding,
                "summary": finding.public_summaries.all()[0],
                "picture": picture,
                "stands": [
                    (
                        key,
                        label,
                        PLAIN_WORDS[key],
                        picture.counts[key],
                    )
                    for key, label in [*RatingColour.choices, (NOT_RATED, "Not rated")]
                    if picture.counts[key]
                ],
                "verdict": verdicts[-1] if verdicts else None,
            }
        )
    return render(request, "weaknesses/public_progress.html", {"items": items, "today": today})
