"""Writes the plan workbook (layout.py's shape): a blank template, or a plan's rows.

Text is written as text, never as a formula: a cell whose text starts with "=" keeps the
string type, so a spreadsheet shows it and never runs it, and it reads back as it was
written (rules.text.printable leaves out what a spreadsheet cannot hold).
"""

import datetime
import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from actions.models import (
    Action,
    ActionOwner,
    FrameworkMeasure,
    Measure,
    MeasureFigure,
    MeasureTarget,
    PerformanceGroup,
    PlanLife,
    Rating,
    RatingSource,
)
from actions.rules.text import printable

from . import layout
from .read import MAX_ROWS

OWNER_KIND_WORDS = {value: word for word, value in layout.OWNER_KINDS.items()}
RATING_WORDS = {value: word for word, value in layout.RATING_WORDS.items()}
STATUS_WORDS = {value: word for word, value in layout.PLAN_STATUSES.items()}


def number(value):
    if value is None:
        return None
    value = Decimal(value)
    return int(value) if value == value.to_integral_value() else float(value)


def codes(objects):
    return ", ".join(o.code for o in objects) or None


def plan_rows(plan):
    """{sheet title: [row values]} for `plan`, in plan order."""
    actions = list(Action.objects.filter(required_outcome__plan=plan).in_plan_order())
    required_outcomes = plan.required_outcomes.select_related("weakness").order_by(
        "weakness__position", "number"
    )
    owners = ActionOwner.objects.filter(action__in=actions).select_related("role__organisation")
    by_action = {}
    for owner in owners.order_by("position", "pk"):
        by_action.setdefault(owner.action_id, []).append(owner)
    roles = sorted({owner.role for owner in owners}, key=lambda role: role.title)
    measures = (
        Measure.objects.filter(plan=plan)
        .select_related("group")
        .prefetch_related("findings", "actions__required_outcome__weakness")
        .order_by("slug")
    )
    targets = (
        MeasureTarget.objects.select_related("measure")
        .filter(measure__plan=plan)
        .order_by("measure__slug", "period_end")
    )
    figures = MeasureFigure.objects.filter(measure__plan=plan, recorded_by__isnull=True).order_by(
        "measure__slug", "period_end"
    )  # the documents' figures, not officers'
    ratings = {}
    published = Rating.objects.filter(
        action__in=actions, source=RatingSource.PUBLISHED_DOCUMENT
    ).order_by("month")
    for rating in published:
        ratings.setdefault(rating.action_id, []).append(rating)
    in_order = {action.pk: n for n, action in enumerate(actions)}
    life = PlanLife.objects.filter(plan=plan).first()
    groups = PerformanceGroup.objects.filter(plan=plan).order_by("position", "pk")
    listed = {}
    for listing in FrameworkMeasure.objects.filter(group__plan=plan).order_by("position", "pk"):
        listed.setdefault(listing.group_id, []).append(listing.name)
    return {
        "Plan": [
            [
                plan.slug,
                plan.area.slug,
                plan.title,
                plan.short_name,
                plan.first_quarter_end,
                plan.last_quarter_end,
                plan.fit_for_purpose_on,
                plan.source,
                plan.notes,
                *(
                    [
                        STATUS_WORDS[life.status],
                        life.live_from,
                        life.closed_on,
                        life.superseded_by,
                        life.basis,
                    ]
                    if life
                    else []
                ),
            ]
        ],
        "Findings answered": [
            [f.review.slug, f.code, f.text]
            for f in plan.findings.select_related("review").order_by(
                "review__start_date", "position"
            )
        ],
        "Outcomes sought": [
            [o.finding.code, o.text]
            for o in plan.outcomes_sought.select_related("finding").order_by(
                "finding__position", "position"
            )
        ],
        "Required outcomes": [[ro.code, ro.title, ro.source, ro.notes] for ro in required_outcomes],
        "Actions": [
            [
                a.code,
                a.text,
                a.timescale or None,
                a.due_date,
                a.measures_of_success or None,
                a.source,
                a.notes,
            ]
            for a in actions
        ],
        "Owner roles": [
            [
                role.title,
                role.organisation.short_name if role.organisation_id else None,
                role.basis,
            ]
            for role in roles
        ],
        "Owners": [
            [a.code, o.role.title, OWNER_KIND_WORDS[o.kind]]
            for a in actions
            for o in by_action.get(a.pk, [])
        ],
        "Performance framework": [
            [group.name, name] for group in groups for name in listed.get(group.pk) or [None]
        ],
        "Measures": [
            [
                m.slug,
                m.name,
                m.unit,
                m.better,
                number(m.baseline_value),
                m.baseline_period_end,
                m.baseline_label or None,
                m.baseline_source or None,
                codes(sorted(m.findings.all(), key=lambda f: f.position)),
                codes(sorted(m.actions.all(), key=lambda a: in_order.get(a.pk, 0))),
                m.group.name if m.group_id else None,
                m.notes,
            ]
            for m in measures
        ],
        "Targets": [
            [t.measure.slug, t.period_end, t.label, number(t.value), t.source] for t in targets
        ],
        "Figures": [
            [f.measure.slug, f.period_end, f.label, number(f.value), f.source, f.note]
            for f in figures.select_related("measure")
        ],
        "Ratings": [
            [a.code, r.month, RATING_WORDS[r.rating], r.source_reference]
            for a in actions
            for r in ratings.get(a.pk, [])
        ],
    }


def write_cell(sheet, row, column, value, date_format="dd/mm/yyyy"):
    cell = sheet.cell(row=row, column=column)
    if isinstance(value, str):
        cell.value = printable(value)
        cell.data_type = "s"  # text, even where it starts with "=": never a formula
    else:
        cell.value = value
    if isinstance(value, datetime.date):
        cell.number_format = date_format
    return cell


def about_sheet(sheet):
    sheet.column_dimensions["A"].width = 22
    sheet.column_dimensions["B"].width = 26
    sheet.column_dimensions["C"].width = 90
    write_cell(sheet, 1, 1, "The plan workbook").font = Font(bold=True, size=14)
    write_cell(sheet, 2, 1, layout.INTRODUCTION).alignment = Alignment(wrap_text=True)
    sheet.merge_cells("A2:C2")
    sheet.row_dimensions[2].height = 90
    for column, title in enumerate(("Sheet", "Column", "What it holds"), start=1):
        write_cell(sheet, 4, column, title).font = Font(bold=True)
    row = 5
    for spec in layout.SHEETS:
        optional = "" if spec.required else " (this sheet may be left out)"
        write_cell(sheet, row, 1, spec.title).font = Font(bold=True)
        write_cell(sheet, row, 3, spec.help + optional)
        row += 1
        for column in spec.columns:
            write_cell(sheet, row, 1, spec.title)
            write_cell(sheet, row, 2, column.header)
            needed = "Required. " if column.required else "Optional. "
            write_cell(sheet, row, 3, needed + column.help).alignment = Alignment(wrap_text=True)
            row += 1


def data_sheet(sheet, spec, rows):
    for number_, column in enumerate(spec.columns, start=1):
        write_cell(sheet, 1, number_, column.header).font = Font(bold=True)
        sheet.column_dimensions[get_column_letter(number_)].width = column.width
        if column.choices:
            words = ",".join(column.choices)
            check = DataValidation(
                type="list",
                formula1=f'"{words}"',
                allow_blank=not column.required,
                showErrorMessage=True,
                errorTitle=f"Not a {column.header.lower()}",
                error=f"Choose one of: {', '.join(column.choices)}",
            )
            letter = get_column_letter(number_)
            check.add(f"{letter}2:{letter}{MAX_ROWS + 1}")
            sheet.add_data_validation(check)
    sheet.freeze_panes = "A2"
    for row_number, values in enumerate(rows, start=2):
        for number_, value in enumerate(values, start=1):
            if value is not None and value != "":
                write_cell(sheet, row_number, number_, value)


def workbook_bytes(plan=None):
    """The workbook: a blank template (`plan` None) or the plan's rows."""
    rows = plan_rows(plan) if plan else {}
    book = Workbook()
    about = book.active
    about.title = layout.ABOUT
    about_sheet(about)
    for spec in layout.SHEETS:
        data_sheet(book.create_sheet(spec.title), spec, rows.get(spec.title, []))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
