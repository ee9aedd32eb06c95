"""Findings and their stories: the list, each finding's page (what was found, the plan's
answer and where it stands, what later reviews said), calibration against the inspectors,
and an approver publishing a finding's summary for families."""

from django.contrib import messages
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from actions import areas, permissions, services
from actions.forms import PublicSummaryForm
from actions.models import Action
from actions.reports import page_cache
from actions.reports.calibration import calibrations
from actions.reports.charts import measures_with_charts
from actions.reports.grid import ProgressGrid, quarter_asked
from actions.rules import as_at as as_at_rule
from actions.rules.warning_signs import WARNING_SIGNS
from weaknesses.models import Finding, Verdict

from .access import deny, role_required
from .reports import window_query


@role_required
def finding_list(request):
    """The findings of one area (actions.areas: `?area=`, else the person's first)."""
    area = areas.asked(request)
    findings = (
        Finding.objects.filter(review__area=area)
        .select_related("review")
        .prefetch_related(Prefetch("verdicts", Verdict.objects.select_related("review")))
    )
    context = {"findings": findings, "area": area, "areas": areas.areas_of(request.user)}
    return render(request, "findings/finding_list.html", context)


def asked_as_at(request):
    """(AsAt, error message or None) from `?as_at=` (rules.as_at)."""
    try:
        return as_at_rule.parse(request.GET.get("as_at")), None
    except as_at_rule.AsAtRefused as refused:
        return as_at_rule.AsAt.now(), str(refused)


def as_at_refused(request, title, message):
    """The 400 page for a refused `?as_at=`: the error summary and the box again, with the
    rule's own hint."""
    context = {"title": title, "message": message, "hint": as_at_rule.HINT}
    return render(request, "findings/as_at_refused.html", context, status=400)


@role_required
def finding_detail(request, pk):
    """A finding's story in order, as at `?as_at=` (now by default): what was found, who
    was responsible then, the plan's answer and where it stood, and what reviews had said
    by then. The story is the same for everyone who may publish its summary, and for
    everyone who may not: kept in the page cache for each (reports.page_cache)."""
    as_at, refused = asked_as_at(request)
    finding = get_object_or_404(Finding.objects.select_related("review"), pk=pk)
    areas.check(request.user, finding.review.area_id)
    if refused:
        return as_at_refused(request, f"{finding.code}: {finding.text}", refused)
    can_publish = permissions.may_publish(request.user, finding)
    page = f"finding-{finding.pk}-{'publisher' if can_publish else 'reader'}"
    key = page_cache.section_key(page, request.GET, as_at)
    story = page_cache.section(key, lambda: finding_story(request, finding.pk, as_at, can_publish))
    return render(request, "findings/finding_detail.html", {"finding": finding, "story": story})


def finding_story(request, pk, as_at, can_publish):
    finding = (
        Finding.objects.select_related("review")
        .prefetch_related(
            "outcomes_sought",
            "responsible_organisations",
            Prefetch("verdicts", Verdict.objects.select_related("review")),
            "continued_by__review",
            "continues__review",
            "plans",
        )
        .get(pk=pk)
    )
    plan = finding.plans.order_by("-first_quarter_end").first()
    section = grid_section(request, finding, plan, as_at) if plan else None
    measures = finding.measures.prefetch_related("targets", "figures")
    verdicts = [v for v in finding.verdicts.all() if v.review.judged_on <= as_at.day]
    calibrated = calibrations(verdicts)
    linked = verdicts_on_linked(finding, as_at.day)
    published = finding.public_summaries.select_related("published_by").first()
    organisations = list(finding.responsible_organisations.all())
    context = {
        "finding": finding,
        "as_at": as_at,
        "responsible": [o for o in organisations if o.in_force_on(as_at.day)],
        "ended": [o for o in organisations if not o.in_force_on(as_at.day)],
        "verdicts": sorted(verdicts + linked, key=lambda v: v.review.start_date),
        "window_query": window_query(request.GET),
        "plan": plan,
        "grid_section": section,
        "charts": measures_with_charts(measures, as_at),
        "calibrations": calibrated,
        "published": published,
        "can_publish": can_publish,
        "plans": plans_answering(finding),
    }
    return render_to_string("findings/includes/finding_story.html", context, request)


def grid_section(request, finding, plan, as_at):
    """The weakness's actions by quarter as HTML: the window asked for, or the latest
    quarters when `?quarters=` is not one of the grid's."""
    actions = Action.objects.filter(
        required_outcome__plan=plan, required_outcome__weakness=finding
    ).in_plan_order()
    today = timezone.localdate()
    try:
        last = quarter_asked(request.GET.get("quarters"))
        grid = ProgressGrid(plan, actions, as_at=as_at, today=today, last_quarter=last)
    except ValueError:
        grid = ProgressGrid(plan, actions, as_at=as_at, today=today)
    context = {
        "grid": grid,
        "finding": finding,
        "as_at": as_at,
        "window_query": window_query(request.GET),
        "warning_signs": WARNING_SIGNS,
    }
    return render_to_string("findings/includes/grid_section.html", context)


@role_required
def calibration(request):
    """Every verdict issued by `?as_at=` (now by default) beside the board's own picture of
    its finding on the review's first day."""
    as_at, refused = asked_as_at(request)
    if refused:
        return as_at_refused(request, "Our ratings beside the inspectors' verdicts", refused)
    area = areas.asked(request)
    verdicts = (
        Verdict.objects.issued_by(as_at.day)
        .filter(review__area=area)
        .select_related("review", "finding")
        .order_by("review__start_date", "finding__position")
    )
    context = {
        "items": calibrations(verdicts),
        "as_at": as_at,
        "area": area,
        "areas": areas.areas_of(request.user),
    }
    return render(request, "findings/calibration.html", context)


def verdicts_on_linked(finding, day):
    """The verdicts issued by `day` on the findings this one continues or that continue it
    (the 2019 revisit's on weakness C beside a 2023 monitoring inspection's on APA3), so
    that a finding's page shows every cycle's judgement in order."""
    related = {f.pk for f in finding.continues.all()} | {f.pk for f in finding.continued_by.all()}
    if not related:
        return []
    return list(
        Verdict.objects.issued_by(day)
        .filter(finding_id__in=related)
        .select_related("review", "finding")
    )


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
    areas.check(request.user, finding.review.area_id)
    if not permissions.may_publish(request.user, finding):
        deny(request, "is not a reviewer of this finding", finding.pk)
    latest = finding.public_summaries.first()
    initial = (
        {name: getattr(latest, name) for name in PublicSummaryForm._meta.fields} if latest else {}
    )
    form = PublicSummaryForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.summary_publish(finding=finding, user=request.user, **form.cleaned_data)
        messages.success(request, f"Summary of {finding.code} published on the progress page")
        return redirect(finding)
    return render(request, "findings/summary_form.html", {"finding": finding, "form": form})
