"""Writes a read workbook (read.Parsed) through the record loader's sync engine
(actions/record/sync.py): rows found by their codes, created, updated or left alone, and a
row edited in the tracker since the last load or upload reported, never overwritten. Every
row is validated (full_clean) and every problem is named by sheet, row and column.

`apply()` writes in the caller's transaction; `preview()` runs it and rolls it all back,
so that the preview is exactly what confirming would do. The services (actions/services.py)
are the callers.
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, ObjectDoesNotExist, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from actions.models import (
    Action,
    ActionOwner,
    ApprovalStatus,
    OutcomeSought,
    OwnerRole,
    Plan,
    PlanLife,
    Rating,
    RatingSource,
    RequiredOutcome,
)
from actions.record.sync import LOADED_BY, RecordError, Sync
from reviews.models import Area, Organisation
from weaknesses.models import Finding

from . import layout
from .read import Problem
from .save_measures import MeasureSheets

UPLOAD_REASON = "workbook upload"  # every history row an upload writes starts with this


def reason_for(upload):
    return f"{UPLOAD_REASON} {upload.pk} ({upload.file_name}, sha256 {upload.sha256[:12]})"


def ours(reason):
    """The loader's writes and every upload's count as the workbook's own."""
    return reason == LOADED_BY or reason.startswith(UPLOAD_REASON + " ")


@dataclass
class Outcome:
    problems: list = field(default_factory=list)
    changes: list = field(default_factory=list)  # dicts: sheet, row, label, outcome, columns
    plan: str = ""

    def as_json(self):
        return {
            "plan": self.plan,
            "problems": [p.__dict__ for p in self.problems],
            "changes": self.changes,
        }


class Writer(MeasureSheets):
    def __init__(self, parsed, engine):
        self.parsed, self.engine, self.outcome = parsed, engine, Outcome()

    def problem(self, spec, row, column, message):
        self.outcome.problems.append(
            Problem(spec.title, row.number if row else None, column, message)
        )

    def write(self, spec, row, label, model, lookup, values, whole_row=None, **extra):
        """engine.sync() one row, naming any problem by sheet, row and column (a rule of the
        whole row, such as a check constraint, by the column `whole_row` where given)."""
        self.engine.file, self.engine.where = spec.title, f"row {row.number}"
        before = len(self.engine.report.rows)
        try:
            with transaction.atomic():
                obj = self.engine.sync(model, lookup, values, **extra)
        except ValidationError as error:
            messages = getattr(error, "message_dict", {NON_FIELD_ERRORS: error.messages})
            for name, texts in messages.items():
                column = whole_row if name == NON_FIELD_ERRORS else spec.header_of(name)
                self.problem(spec, row, column, " ".join(texts))
            return None
        except (RecordError, IntegrityError, ObjectDoesNotExist, ValueError) as error:
            self.problem(spec, row, None, str(error))
            return None
        for _name, result, _, fields in self.engine.report.rows[before:]:
            self.outcome.changes.append(
                {
                    "sheet": spec.title,
                    "row": row.number,
                    "label": label,
                    "outcome": result,
                    "columns": [spec.header_of(f) or f for f in fields],
                }
            )
        return obj

    def run(self):
        sheets = self.parsed.sheets
        plan = self.plan(sheets["Plan"][0])
        if plan is None:
            return self.outcome
        positions = {}
        for row in sheets["Outcomes sought"]:
            finding = row.values["finding"]
            positions[finding] = positions.get(finding, 0) + 1
            self.outcome_sought(plan, row, positions[finding])
        outcomes = {
            row.values["code"]: self.required_outcome(plan, row)
            for row in sheets["Required outcomes"]
        }
        actions = {row.values["code"]: self.action(outcomes, row) for row in sheets["Actions"]}
        roles = {role.title: role for role in OwnerRole.objects.filter(area=plan.area)}
        roles |= {row.values["title"]: self.role(plan.area, row) for row in sheets["Owner roles"]}
        positions = {}
        for row in sheets["Owners"]:
            positions[row.values["action"]] = positions.get(row.values["action"], 0) + 1
            self.owner(actions, roles, row, positions[row.values["action"]])
        groups = self.framework(plan, sheets["Performance framework"])
        measures = {
            row.values["slug"]: self.measure(plan, actions, groups, row)
            for row in sheets["Measures"]
        }
        for row in sheets["Targets"]:
            self.target(measures, row)
        for row in sheets["Figures"]:
            self.figure(measures, row)
        for row in sheets["Ratings"]:
            self.rating(plan, actions, row)
        return self.outcome

    def plan(self, row):
        spec, v = layout.PLAN, row.values
        self.outcome.plan = v["slug"]
        area = Area.objects.filter(slug=v["area"]).first()
        if area is None:
            self.problem(spec, row, "Area", f"No area {v['area']!r} in the tracker")
            return None
        existing = Plan.objects.filter(slug=v["slug"]).first()
        if existing and existing.area_id != area.pk:
            self.problem(spec, row, "Plan code", "Another area's plan has this code")
            return None
        self.findings = {}
        for finding_row in self.parsed.sheets["Findings answered"]:
            fv = finding_row.values
            finding = Finding.objects.filter(
                review__area=area, review__slug=fv["review"], code=fv["code"]
            ).first()
            if finding is None:
                self.problem(
                    layout.FINDINGS,
                    finding_row,
                    "Finding code",
                    f"No finding {fv['code']!r} of review {fv['review']!r} in the tracker",
                )
            elif finding.code in self.findings:
                self.problem(
                    layout.FINDINGS,
                    finding_row,
                    "Finding code",
                    "Two findings answered share this code",
                )
            else:
                self.findings[finding.code] = finding
        if self.outcome.problems:
            return None
        values = {
            k: v[k]
            for k in (
                "title",
                "short_name",
                "first_quarter_end",
                "last_quarter_end",
                "fit_for_purpose_on",
                "source",
            )
        }
        plan = self.write(
            spec,
            row,
            v["slug"],
            Plan,
            {"slug": v["slug"]},
            values | {"area": area, "notes": v["notes"] or ""},
            many={"findings": list(self.findings.values())},
        )
        if plan is not None and v["status"]:
            # Its life: left alone where the workbook records none.
            self.write(
                spec,
                row,
                f"{v['slug']}'s life",
                PlanLife,
                {"plan": plan},
                {
                    "status": v["status"],
                    "live_from": v["live_from"],
                    "closed_on": v["closed_on"],
                    "superseded_by": v["superseded_by"] or "",
                    "basis": v["basis"] or "",
                },
                whole_row="Closed on",
            )
        return plan

    def outcome_sought(self, plan, row, position):
        v = row.values
        self.write(
            layout.OUTCOMES_SOUGHT,
            row,
            f"{v['finding']} outcome sought {position}",
            OutcomeSought,
            {"plan": plan, "finding": self.findings[v["finding"]], "position": position},
            {"text": v["text"]},
        )

    def required_outcome(self, plan, row):
        code = row.values["code"]
        found = split_outcome_code(code, self.findings)
        if found is None:
            self.problem(
                layout.REQUIRED_OUTCOMES,
                row,
                "Code",
                f"{code!r} is not a finding's code and a number, such as A1",
            )
            return None
        finding, number = found
        return self.write(
            layout.REQUIRED_OUTCOMES,
            row,
            code,
            RequiredOutcome,
            {"plan": plan, "weakness": finding, "number": number},
            {
                "title": row.values["title"],
                "source": row.values["source"] or "",
                "notes": row.values["notes"] or "",
            },
        )

    def action(self, outcomes, row):
        code = row.values["code"]
        outcome_code, _, number = code.rpartition(".")
        outcome = outcomes.get(outcome_code)
        if outcome is None:
            return None  # its required outcome's row has the problem
        if not number.isdigit() or f"{outcome_code}.{int(number)}" != code or int(number) < 1:
            self.problem(
                layout.ACTIONS,
                row,
                "Code",
                f"{code!r} does not end in the action's number, such as A1.1",
            )
            return None
        v = row.values
        values = {
            "text": v["text"],
            "timescale": v["timescale"] or "",
            "due_date": v["due_date"],
            "measures_of_success": v["measures_of_success"] or "",
            "source": v["source"] or "",
            "notes": v["notes"] or "",
        }
        return self.write(
            layout.ACTIONS,
            row,
            code,
            Action,
            {"required_outcome": outcome, "number": int(number)},
            values,
        )

    def role(self, area, row):
        name = row.values["organisation"]
        organisation = None
        if name:
            organisation = Organisation.objects.filter(area=area, short_name=name).first()
            if organisation is None:
                self.problem(
                    layout.OWNER_ROLES,
                    row,
                    "Organisation",
                    f"No organisation {name!r} in the tracker",
                )
                return None
        return self.write(
            layout.OWNER_ROLES,
            row,
            row.values["title"],
            OwnerRole,
            {"area": area, "title": row.values["title"]},
            {"organisation": organisation, "basis": row.values["basis"] or ""},
        )

    def owner(self, actions, roles, row, position):
        action, title = actions.get(row.values["action"]), row.values["role"]
        if title not in roles:
            self.problem(
                layout.OWNERS,
                row,
                "Role",
                f"Unknown owner role {title!r}: add it to the Owner roles sheet",
            )
            return
        if action is None or roles[title] is None:
            return  # their own rows have the problem
        self.write(
            layout.OWNERS,
            row,
            f"{action.code} {title}",
            ActionOwner,
            {"action": action, "role": roles[title]},
            {"kind": row.values["kind"], "position": position},
        )

    def rating(self, plan, actions, row):
        v = row.values
        action = actions.get(v["action"])
        if v["month"].day != 1:
            self.problem(
                layout.RATINGS,
                row,
                "Month",
                "Enter the first day of the month rated, such as 01/03/2018",
            )
            return
        if action is None:
            return
        day = plan.fit_for_purpose_on or v["month"]
        recorded_at = timezone.make_aware(datetime.datetime.combine(day, datetime.time()))
        self.write(
            layout.RATINGS,
            row,
            f"{action.code} {v['month']:%B %Y}",
            Rating,
            {"action": action, "month": v["month"]},
            {
                "rating": v["rating"],
                "approval_status": ApprovalStatus.ACCEPTED,
                "accepted_rating": v["rating"],
                "source": RatingSource.PUBLISHED_DOCUMENT,
                "recorded_by": None,
                "recorded_at": recorded_at,
                "source_reference": v["source_reference"],
            },
            created_at=recorded_at,
        )


def split_outcome_code(code, findings):
    """(finding, number) for a required outcome's code such as "A1" or "APA3-1", or None."""
    for finding in sorted(findings.values(), key=lambda f: -len(f.code)):
        rest = code[len(finding.code) :] if code.startswith(finding.code) else None
        if rest is None:
            continue
        if finding.code[-1:].isdigit():
            if not rest.startswith("-"):
                continue
            rest = rest[1:]
        if rest.isdigit() and int(rest) >= 1:
            if RequiredOutcome(weakness=finding, number=int(rest)).code == code:
                return finding, int(rest)
    return None


def apply(parsed, *, reason, user=None):
    """Write the parsed workbook in the caller's transaction; the Outcome says what it did."""
    if parsed.problems:
        return Outcome(problems=list(parsed.problems))
    engine = Sync(reason=reason, ours=ours, user=user)
    return Writer(parsed, engine).run()


def preview(parsed):
    """What confirming would do, with nothing kept."""
    with transaction.atomic():
        outcome = apply(parsed, reason=f"{UPLOAD_REASON} preview")
        transaction.set_rollback(True)
    return outcome
