"""Reads measures.yaml: the performance framework's groups, and the measures with their numbers."""

from actions.models import (
    FrameworkMeasure,
    Measure,
    MeasureFigure,
    MeasureTarget,
    PerformanceGroup,
)

from .sync import RecordError, read_fields, text


def load(engine, data, plan, weaknesses, actions):
    groups = {}
    for position, record in enumerate(data["groups"], start=1):
        with engine.at(f"performance group {record.get('name')!r}"):
            record = read_fields(record, ["name", "measures"])
            group = groups[record["name"]] = engine.sync(
                PerformanceGroup, {"plan": plan, "name": record["name"]}, {"position": position}
            )
            for number, name in enumerate(record["measures"], start=1):
                engine.sync(
                    FrameworkMeasure, {"group": group, "position": number}, {"name": text(name)}
                )
    for record in data["measures"]:
        with engine.at(f"measure {record.get('slug')!r}"):
            load_measure(engine, record, plan, groups, weaknesses, actions)


def load_measure(engine, record, plan, groups, weaknesses, actions):
    """A measure, its baseline, and its targets and actual figures by period end."""
    fields = read_fields(
        record,
        [
            "slug",
            "name",
            "group",
            "unit",
            "better",
            "findings",
            "actions",
            "baseline",
            "targets",
            "figures",
        ],
        ["notes"],
    )
    baseline = read_fields(fields["baseline"] or {}, [], ["value", "period_end", "label", "source"])
    unknown = [code for code in fields["actions"] if code not in actions]
    if unknown:
        raise RecordError(f"no action with the code(s) {', '.join(unknown)}")
    measure = engine.sync(
        Measure,
        {"slug": fields["slug"]},
        {
            "plan": plan,
            "name": text(fields["name"]),
            "group": groups[fields["group"]] if fields["group"] else None,
            "unit": fields["unit"],
            "better": fields["better"],
            "baseline_value": baseline["value"],
            "baseline_period_end": baseline["period_end"],
            "baseline_label": text(baseline["label"]),
            "baseline_source": text(baseline["source"]),
            "notes": text(fields["notes"]),
        },
        many={
            "findings": [weaknesses[code] for code in fields["findings"]],
            "actions": [actions[code] for code in fields["actions"]],
        },
    )
    for model, key in ((MeasureTarget, "targets"), (MeasureFigure, "figures")):
        for point in fields[key] or []:
            optional = ["note"] if model is MeasureFigure else []
            point = read_fields(point, ["period_end", "label", "value", "source"], optional)
            values = {
                "label": text(point["label"]),
                "value": point["value"],
                "source": text(point["source"]),
            }
            if model is MeasureFigure:
                values["note"] = text(point.get("note"))
            engine.sync(model, {"measure": measure, "period_end": point["period_end"]}, values)
