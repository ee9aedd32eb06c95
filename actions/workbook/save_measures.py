"""The plan workbook's measure sheets written through the sync engine (Performance
framework, Measures, Targets, Figures): the part of save.Writer that knows the performance
framework's groups and the measures that carry numbers."""

from actions.models import (
    FrameworkMeasure,
    Measure,
    MeasureFigure,
    MeasureTarget,
    PerformanceGroup,
)

from . import layout


class MeasureSheets:
    """Mixed into save.Writer, whose write() and problem() these use."""

    def framework(self, plan, rows):
        """The performance framework's groups by name, in order, with the measures each lists."""
        groups, listed = {}, {}
        for row in rows:
            name = row.values["group"]
            if name not in groups:
                groups[name] = self.write(
                    layout.FRAMEWORK,
                    row,
                    name,
                    PerformanceGroup,
                    {"plan": plan, "name": name},
                    {"position": len(groups) + 1},
                )
            if groups[name] is None or not row.values["name"]:
                continue
            listed[name] = listed.get(name, 0) + 1
            self.write(
                layout.FRAMEWORK,
                row,
                f"{name} {listed[name]}",
                FrameworkMeasure,
                {"group": groups[name], "position": listed[name]},
                {"name": row.values["name"]},
            )
        return groups

    def measure(self, plan, actions, groups, row):
        v = row.values
        existing = Measure.objects.filter(slug=v["slug"]).first()
        if existing and existing.plan_id != plan.pk:
            self.problem(
                layout.MEASURES, row, "Measure code", "Another plan's measure has this code"
            )
            return None
        unknown = [code for code in v["findings"] if code not in self.findings]
        if unknown:
            self.problem(
                layout.MEASURES,
                row,
                "Finding codes",
                f"Not on the Findings answered sheet: {', '.join(unknown)}",
            )
            return None
        if any(actions.get(code) is None for code in v["actions"]):
            return None
        values = {
            k: v[k] for k in ("name", "unit", "better", "baseline_value", "baseline_period_end")
        }
        values |= {k: v[k] or "" for k in ("baseline_label", "baseline_source", "notes")}
        if v["group"] and groups.get(v["group"]) is None:
            return None  # its group's row has the problem
        values["group"] = groups[v["group"]] if v["group"] else None
        return self.write(
            layout.MEASURES,
            row,
            v["slug"],
            Measure,
            {"slug": v["slug"]},
            values | {"plan": plan},
            many={
                "findings": [self.findings[c] for c in v["findings"]],
                "actions": [actions[c] for c in v["actions"]],
            },
        )

    def target(self, measures, row):
        v = row.values
        measure = measures.get(v["measure"])
        if measure is None:
            return
        self.write(
            layout.TARGETS,
            row,
            f"{v['measure']} {v['label']}",
            MeasureTarget,
            {"measure": measure, "period_end": v["period_end"]},
            {"label": v["label"], "value": v["value"], "source": v["source"]},
        )

    def figure(self, measures, row):
        """A figure the plan's documents publish: recorded by nobody, as the loader's are."""
        v = row.values
        measure = measures.get(v["measure"])
        if measure is None:
            return
        self.write(
            layout.FIGURES,
            row,
            f"{v['measure']} {v['label']}",
            MeasureFigure,
            {"measure": measure, "period_end": v["period_end"]},
            {
                "label": v["label"],
                "value": v["value"],
                "source": v["source"],
                "note": v["note"] or "",
                "recorded_by": None,
            },
        )
