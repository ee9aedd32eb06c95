"""What the public is told, as at one moment: every finding in the inspectors' own words,
what the plan does about it, where it stands from accepted ratings, each verdict with its
date, and an approver's summary where one was published by then. The public pages and
the open data read it from here, so they never show anything else: no names, commentary,
evidence, notes or reasons of the board's own."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Prefetch

from actions.models import PublicSummary, RequiredOutcome
from actions.rules import plan_life, rating_key
from weaknesses.models import Finding, Verdict

from .calibration import Picture, pictures_as_at


@dataclass
class PublicVerdict:
    """A review's judgement on a finding, as the letter or report published it."""

    review: object
    judgement: str  # the label: "Not sufficient progress"
    summary: str  # the verdict sentence, quoted from the document
    reasons: str  # the inspectors' reasons, quoted from the document
    issued_on: datetime.date  # Review.judged_on


@dataclass
class PublicPlan:
    """A plan answering the finding, and what it reads as on the day if it is not live."""

    plan: object
    record_note: str  # rules.plan_life.record_note: '' while live


@dataclass
class FindingStory:
    finding: object
    picture: Picture
    required_outcomes: list = field(default_factory=list)
    plans: list = field(default_factory=list)  # [PublicPlan]
    verdicts: list = field(default_factory=list)  # [PublicVerdict] issued by the day
    summary: object = None  # the newest PublicSummary published by then, if any

    @property
    def review(self):
        return self.finding.review

    @property
    def slug(self):
        """The stable part of its public address: the review's slug and the code."""
        return (self.finding.review.slug, self.finding.code)

    @property
    def stands(self):
        """[(rating value, word, plain words for families, count)], in the key's order,
        only the words with actions."""
        counts = self.picture.counts
        return [
            (entry.value, entry.word, entry.plain_words, counts[entry.value])
            for entry in [*rating_key.KEY, rating_key.NOT_RATED_ENTRY]
            if counts[entry.value]
        ]

    @property
    def latest_verdict(self):
        return self.verdicts[-1] if self.verdicts else None


def public_findings():
    """Every finding, oldest review first, with what its public story reads."""
    return (
        Finding.objects.select_related("review")
        .prefetch_related(
            Prefetch(
                "required_outcomes",
                RequiredOutcome.objects.select_related("plan__life", "weakness").order_by(
                    "plan__first_quarter_end", "number"
                ),
            ),
            Prefetch("verdicts", Verdict.objects.select_related("review")),
        )
        .order_by("review__start_date", "position")
    )


def stories(as_at, findings=None):
    """[FindingStory] for every finding made by the AsAt's day (or those of `findings`, a
    queryset of public_findings()), as they stood then: ratings accepted by then, verdicts
    issued by then, summaries published by then."""
    day = as_at.day
    findings = public_findings() if findings is None else findings
    findings = list(findings.filter(review__start_date__lte=day))  # found by then
    pictures = pictures_as_at(day, {f.pk for f in findings}) if findings else {}
    summaries = {}
    published = PublicSummary.objects.filter(
        finding__in=[f.pk for f in findings], published_at__lte=as_at.moment
    ).order_by("finding_id", "-published_at")
    for summary in published.only(
        "finding_id", "plain_english", "being_done", "you_said_we_did", "published_at"
    ):
        summaries.setdefault(summary.finding_id, summary)
    told = []
    for finding in findings:
        required_outcomes = list(finding.required_outcomes.all())
        plans = {}
        for required_outcome in required_outcomes:
            plans.setdefault(required_outcome.plan.pk, required_outcome.plan)
        told.append(
            FindingStory(
                finding=finding,
                picture=pictures[day, finding.pk],
                required_outcomes=required_outcomes,
                plans=[PublicPlan(p, plan_life.record_note(p, day)) for p in plans.values()],
                verdicts=[
                    PublicVerdict(
                        v.review,
                        v.get_judgement_display(),
                        v.summary,
                        v.reasons,
                        v.review.judged_on,
                    )
                    for v in finding.verdicts.all()
                    if v.review.judged_on <= day
                ],
                summary=summaries.get(finding.pk),
            )
        )
    return told


def documents(told):
    """(reviews, plans) the stories come from, oldest first, read from the stories
    themselves (no further query): the published documents a reader can look up."""
    reviews, plans = {}, {}
    for story in told:
        reviews.setdefault(story.review.pk, story.review)
        for verdict in story.verdicts:
            reviews.setdefault(verdict.review.pk, verdict.review)
        for public_plan in story.plans:
            plans.setdefault(public_plan.plan.pk, public_plan.plan)
    return (
        sorted(reviews.values(), key=lambda review: review.start_date),
        sorted(plans.values(), key=lambda plan: plan.first_quarter_end),
    )
