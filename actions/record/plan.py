"""Reads wsoa/plan.yaml's plan: the WSOA, its quarters, and the 2017 findings it answers."""

from actions.models import Plan

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
    return plan, {finding.code: finding for finding in answered}
