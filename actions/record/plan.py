"""Reads wsoa/plan.yaml's plan: the WSOA, its quarters, the 2017 findings it answers, and its
life (live from, closed on, superseded by, with the basis)."""

from actions.models import Plan, PlanLife

from .sync import read_fields, text


def load(engine, data, area, findings):
    """The plan, and the weaknesses it answers by code."""
    with engine.at("plan"):
        plan = read_fields(
            data["plan"],
            [
                "slug",
                "title",
                "short_name",
                "fit_for_purpose_on",
                "first_quarter_end",
                "last_quarter_end",
                "answers",
                "source",
            ],
            ["notes"],
        )
        answers = read_fields(plan.pop("answers"), ["review", "findings"])
        answered = [findings[answers["review"], code] for code in answers["findings"]]
        slug = plan.pop("slug")
        plan.update(area=area, source=text(plan["source"]), notes=text(plan["notes"]))
        plan = engine.sync(Plan, {"slug": slug}, plan, many={"findings": answered})
    with engine.at("plan's life"):
        life = read_fields(
            data["life"], ["status", "live_from", "basis"], ["closed_on", "superseded_by"]
        )
        life.update(basis=text(life["basis"]), superseded_by=text(life["superseded_by"]))
        engine.sync(PlanLife, {"plan": plan}, life)
    return plan, {finding.code: finding for finding in answered}
