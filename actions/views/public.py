"""The public progress page for families: no sign-in, and only what an approver
published, with where each finding stands in words, as at `?as_at=` (now by default, as
every page); never names or commentary."""

from django.contrib.auth.decorators import login_not_required
from django.db.models import Prefetch
from django.shortcuts import render

from actions.models import PublicSummary
from actions.reports.calibration import pictures_as_at
from actions.rules import rating_key
from weaknesses.models import Finding, Verdict

from .findings import as_at_refused, asked_as_at


@login_not_required
def public_progress(request):
    """The public page for families: only what a reviewer approved, and where each finding
    stands in words (counts of its actions' accepted ratings), no names, no commentary: all
    as they stood at one moment, the summaries published by then among them."""
    as_at, refused = asked_as_at(request)
    if refused:
        return as_at_refused(request, "How the work for SEND is going", refused)
    published = PublicSummary.objects.filter(published_at__lte=as_at.moment)
    findings = list(
        Finding.objects.filter(public_summaries__in=published)
        .distinct()
        .select_related("review")
        .prefetch_related(
            Prefetch("public_summaries", published.order_by("-published_at")),
            Prefetch("verdicts", Verdict.objects.select_related("review")),
        )
        .order_by("review__start_date", "position")
    )
    today = as_at.day
    pictures = pictures_as_at(today, {f.pk for f in findings}) if findings else {}
    items = []
    for finding in findings:
        picture = pictures[today, finding.pk]
        verdicts = [v for v in finding.verdicts.all() if v.review.judged_on <= today]
        items.append(
            {
                "finding": finding,
                "summary": finding.public_summaries.all()[0],
                "picture": picture,
                "stands": [
                    (entry.value, entry.word, entry.plain_words, picture.counts[entry.value])
                    for entry in [*rating_key.KEY, rating_key.NOT_RATED_ENTRY]
                    if picture.counts[entry.value]
                ],
                "verdict": verdicts[-1] if verdicts else None,
            }
        )
    return render(
        request,
        "findings/public_progress.html",
        {"items": items, "today": today, "as_at": as_at, "asked": as_at.asked},
    )
