"""The public pages for families: no sign-in, no session, as at `?as_at=` (now by
default, as every page): every finding with where it stands (reports.public), and each
finding's own page at a stable address; never names, commentary, evidence or notes."""

from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.http import require_safe

from actions import areas
from actions.reports import page_cache
from actions.reports.public import documents, public_findings, stories
from actions.rules import rating_key

from .findings import as_at_refused, asked_as_at

TITLE = "How the work for children and young people with SEND is going"


def context_for(as_at, told, area):
    reviews, plans = documents(told)
    return {
        "area": area,
        "reviews": reviews,
        "plans": plans,
        "stories": told,
        "as_at": as_at,
        "asked": as_at.asked,
        "key": rating_key.KEY,
        "not_rated": rating_key.NOT_RATED_ENTRY,
        "summaries": [story for story in told if story.summary],
    }


@login_not_required
@require_safe
def public_progress(request):
    """Every finding the area must answer, in the inspectors' words, with what the plan
    does, where it stands and what reviews said, as at one moment; an approver's summary
    for families on top where one was published by then."""
    as_at, refused = asked_as_at(request)
    if refused:
        return as_at_refused(request, TITLE, refused)
    area = areas.public_area(request)
    key = page_cache.section_key(f"public-{area.pk if area else ''}", request.GET, as_at)
    page = page_cache.section(key, lambda: progress_section(request, as_at, area))
    return render(request, "findings/public_progress.html", {"area": area, "page": page})


def progress_section(request, as_at, area):
    """The public progress page's content, the same for every family reading it: kept in
    the page cache (reports.page_cache), like the board's grid."""
    told = stories(as_at, public_findings().filter(review__area=area))
    context = context_for(as_at, told, area)
    return render_to_string("findings/includes/public_progress_section.html", context, request)


@login_not_required
@require_safe
def public_finding(request, review, code):
    """One finding's public page, at an address that stays the same: the review's slug and
    the finding's code (`/progress/2017-joint-inspection/B/`)."""
    findings = (
        public_findings().filter(review__slug=review, code=code).select_related("review__area")
    )
    as_at, refused = asked_as_at(request)
    told = stories(as_at, findings)
    if not told:
        raise Http404("No such finding")
    if refused:
        return as_at_refused(request, told[0].finding.text, refused)
    context = context_for(as_at, told, told[0].finding.review.area)
    context["story"] = told[0]
    return render(request, "findings/public_finding.html", context)
