"""The open data: one area's public information as tables (findings, required outcomes, actions,
accepted ratings by quarter, verdicts, measures with targets and figures), each with its
columns described for the data dictionary, as at one moment. The ratings are the grid's
own cells (reports.grid.stream_rows); nothing is published here that the public pages do
not show: no names, commentary, evidence, notes or sources typed by officers."""

from dataclasses import dataclass

from django.urls import reverse

from actions.models import Action, Measure, Plan, RequiredOutcome
from actions.rules.shown import NOT_RATED
from weaknesses.models import Finding, Verdict

from .grid import stream_rows


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # "text", "date" (YYYY-MM-DD), "integer", "number"
    meaning: str


@dataclass(frozen=True)
class Table:
    slug: str
    title: str
    meaning: str
    columns: tuple
    rows: object  # rows(as_at, area) -> iterable of tuples in the columns' order

    def records(self, as_at, area):
        names = [column.name for column in self.columns]
        return [dict(zip(names, row, strict=True)) for row in self.rows(as_at, area)]


def day(value):
    return value.isoformat() if value else ""


def number(value):
    """A decimal as plain digits: "50", "12.5", never "5E+1"."""
    if value is None:
        return ""
    return f"{value.normalize():f}" if hasattr(value, "normalize") else str(value)


def findings(as_at, area):
    for finding in Finding.objects.select_related("review").filter(
        review__start_date__lte=as_at.day, review__area=area
    ):
        yield (
            finding.review.slug,
            finding.review.title,
            finding.code,
            finding.kind,
            finding.get_kind_display(),
            finding.text,
            day(finding.review.start_date),
            reverse("public-finding", args=[finding.review.slug, finding.code]),
        )


def required_outcomes(as_at, area):
    for required_outcome in (
        RequiredOutcome.objects.filter(plan__area=area)
        .select_related("plan", "weakness__review")
        .order_by("plan__first_quarter_end", "weakness__position", "number")
    ):
        yield (
            required_outcome.plan.slug,
            required_outcome.weakness.review.slug,
            required_outcome.weakness.code,
            required_outcome.code,
            required_outcome.number,
            required_outcome.title,
        )


def actions(as_at, area):
    for action in (
        Action.objects.filter(required_outcome__plan__area=area)
        .in_plan_order()
        .order_by(
            "required_outcome__plan__first_quarter_end",
            "required_outcome__weakness__position",
            "required_outcome__number",
            "number",
        )
        .prefetch_related("owners")
    ):
        yield (
            action.required_outcome.plan.slug,
            action.required_outcome.code,
            action.code,
            action.number,
            action.text,
            action.timescale,
            day(action.due_date),
            "; ".join(sorted(role.title for role in action.owners.all())),
            action.measures_of_success,
        )


def ratings(as_at, area):
    """One row per action and quarter: the grid's cell, as at the moment."""
    for plan in Plan.objects.filter(area=area).order_by("first_quarter_end"):
        rows = stream_rows(
            plan, Action.objects.filter(required_outcome__plan=plan).in_plan_order(), as_at
        )
        quarters = next(rows)
        for row in rows:
            for quarter, cell in zip(quarters, row.cells, strict=True):
                yield (
                    plan.slug,
                    row.action.code,
                    day(quarter),
                    cell.rating or NOT_RATED,
                    cell.get_rating_display(),
                    day(cell.month),
                )


def verdicts(as_at, area):
    for verdict in (
        Verdict.objects.issued_by(as_at.day)
        .filter(review__area=area)
        .select_related("review", "finding__review")
        .order_by("review__start_date", "finding__position")
    ):
        yield (
            verdict.review.slug,
            verdict.review.title,
            verdict.review.bodies,
            verdict.finding.review.slug,
            verdict.finding.code,
            verdict.judgement,
            verdict.get_judgement_display(),
            day(verdict.review.judged_on),
            verdict.summary,
        )


def measures(as_at, area):
    for measure in (
        Measure.objects.filter(plan__area=area)
        .select_related("plan")
        .prefetch_related("targets", "figures")
    ):
        common = (measure.plan.slug, measure.slug, measure.name, measure.unit, measure.better)
        if measure.baseline_value is not None:
            yield (
                *common,
                "baseline",
                day(measure.baseline_period_end),
                measure.baseline_label,
                number(measure.baseline_value),
            )
        for target in measure.targets.all():
            yield (*common, "target", day(target.period_end), target.label, number(target.value))
        for figure in sorted(measure.known_figures(as_at), key=lambda f: f.period_end):
            yield (*common, "figure", day(figure.period_end), figure.label, number(figure.value))


PLAN = Column("plan", "text", "The plan's short identifier (`wsoa-2018` is the WSOA).")
REVIEW = Column("review", "text", "The inspection or review's identifier, e.g. `2019-revisit`.")
FINDING_REVIEW = Column("finding_review", "text", "The review that made the finding.")
FINDING_CODE = Column(
    "finding_code", "text", "The finding's code within its review: A-E, APA1-5, AFI1-4."
)

TABLES = {
    table.slug: table
    for table in [
        Table(
            "findings",
            "Findings",
            "Every finding the area must answer, in the inspectors' own published words.",
            (
                REVIEW,
                Column("review_title", "text", "The review's title."),
                Column("code", "text", "The finding's code within its review."),
                Column(
                    "kind",
                    "text",
                    "significant_weakness, area_for_priority_action or area_for_improvement.",
                ),
                Column("kind_label", "text", "The kind in words."),
                Column("text", "text", "The finding in the document's own words."),
                Column("found_on", "date", "The first day of the review that made the finding."),
                Column("public_page", "text", "The finding's public page on this site."),
            ),
            findings,
        ),
        Table(
            "required-outcomes",
            "Required outcomes",
            "What each plan says must be true for a finding to be put right.",
            (
                PLAN,
                FINDING_REVIEW,
                FINDING_CODE,
                Column(
                    "code",
                    "text",
                    "The required outcome's code: the finding's code and its number (A1, APA3-1).",
                ),
                Column("number", "integer", "Its number within the finding."),
                Column("title", "text", "The required outcome, as the plan words it."),
            ),
            required_outcomes,
        ),
        Table(
            "actions",
            "Actions",
            "Each plan's actions, as the plan words them.",
            (
                PLAN,
                Column("required_outcome", "text", "The code of the required outcome it serves."),
                Column(
                    "code",
                    "text",
                    "The action's code: the required outcome's code and its number (A1.1).",
                ),
                Column("number", "integer", "Its number within the required outcome."),
                Column("text", "text", "What will be done."),
                Column("timescale", "text", "The timescale, as written in the plan."),
                Column(
                    "due_date",
                    "date",
                    "The due date read from the timescale; empty where it gives none.",
                ),
                Column(
                    "owner_roles",
                    "text",
                    "The job roles that own it, separated by '; ' (roles, never people).",
                ),
                Column(
                    "measures_of_success", "text", "How success will be measured, as the plan says."
                ),
            ),
            actions,
        ),
        Table(
            "ratings",
            "Accepted ratings by quarter",
            "For each action and quarter, the latest rating the board accepted in the quarter "
            "(the board's own where it differs from the officer's), exactly as the progress grid "
            "shows it. An update not yet accepted does not count: the quarter is not rated.",
            (
                PLAN,
                Column("action", "text", "The action's code."),
                Column(
                    "quarter_end",
                    "date",
                    "The last day of the quarter (March, June, September or December).",
                ),
                Column(
                    "rating",
                    "text",
                    "green, amber, red, grey, or not_rated (no accepted rating in the quarter; "
                    "never the same as grey).",
                ),
                Column(
                    "rating_word",
                    "text",
                    "The rating in words: Green, Amber, Red, Grey or Not rated.",
                ),
                Column(
                    "month",
                    "date",
                    "The first day of the month whose rating is shown; empty when not rated.",
                ),
            ),
            ratings,
        ),
        Table(
            "verdicts",
            "Verdicts",
            "Each later review's judgement on a finding, issued by the as at date.",
            (
                REVIEW,
                Column("review_title", "text", "The review's title."),
                Column("bodies", "text", "Who carried out the review."),
                FINDING_REVIEW,
                FINDING_CODE,
                Column(
                    "judgement",
                    "text",
                    "sufficient_progress, not_sufficient_progress, monitoring_continues or "
                    "monitoring_no_longer_required.",
                ),
                Column("judgement_label", "text", "The judgement in words."),
                Column(
                    "issued_on",
                    "date",
                    "The day it was issued: the letter's date, else the publication's, else "
                    "the review's last day.",
                ),
                Column("summary", "text", "The verdict sentence, quoted from the document."),
            ),
            verdicts,
        ),
        Table(
            "measures",
            "Measures with targets and figures",
            "Each measure of success that carries numbers: its baseline, its targets and the "
            "figures known by the as at date, one row each.",
            (
                PLAN,
                Column("measure", "text", "The measure's identifier."),
                Column("measure_name", "text", "The measure in words."),
                Column("unit", "text", "percent, count or days."),
                Column("better", "text", "higher or lower: which way is better."),
                Column("kind", "text", "baseline, target or figure."),
                Column("period_end", "date", "The last day of the period the value is for."),
                Column("label", "text", "The period in the documents' words, where they give one."),
                Column("value", "number", "The value, in the measure's unit."),
            ),
            measures,
        ),
    ]
}
