"""Reads an uploaded plan workbook as untrusted input: checks the file, parses each sheet of
layout.py's shape and validates every cell, naming each problem by sheet, row and column.

The file is refused before it is opened as a workbook (files.py) where it is too large, not
a zip of an Excel workbook, holds macros or links to other files, would unpack too large (a
zip bomb, huge shared strings) or has a sheet of more than MAX_ROWS rows. It is then read in
openpyxl's streaming read-only mode, cell values only: a formula is never calculated but
named as a problem, no external link is followed, and a sheet is read to at most MAX_ROWS
rows (its declared dimension is checked first, so a million empty rows are refused at once).
Text is cleaned as typed text is (rules.text: Word's line breaks made plain, control
characters refused). Nothing here writes to the database.
"""

import datetime
import io
import logging
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from openpyxl import load_workbook

from actions.rules.text import TypedText, clean_typed_text

from . import layout
from .files import MAX_ROWS, Refused, check_file, kb, too_many_rows  # noqa: F401 (kb, for the views)

logger = logging.getLogger("wsoa_tracker.workbook")

DATE_TEXT = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$|^(\d{4})-(\d{2})-(\d{2})$")


@dataclass(frozen=True)
class Problem:
    sheet: str | None
    row: int | None
    column: str | None
    message: str

    def __str__(self):
        where = ", ".join(
            part for part in (self.sheet, self.row and f"row {self.row}", self.column) if part
        )
        return f"{where}: {self.message}" if where else self.message


@dataclass
class Row:
    number: int  # the spreadsheet's row number
    values: dict  # column key -> cleaned value (None where blank)


@dataclass
class Parsed:
    sheets: dict = field(default_factory=dict)  # sheet title -> [Row]
    problems: list = field(default_factory=list)

    def add(self, sheet, row, column, message):
        self.problems.append(Problem(sheet, row, column, message))


def read(name, data):
    """Parsed: the sheets' rows and every problem. Never raises for what the file holds."""
    parsed = Parsed()
    try:
        check_file(name, data)
        book = load_workbook(
            io.BytesIO(data), read_only=True, data_only=False, keep_links=False, keep_vba=False
        )
    except Refused as refusal:
        parsed.add(refusal.sheet, None, None, str(refusal))
        return parsed
    except Exception as error:  # noqa: BLE001 - any failure of an untrusted file is refused
        logger.info("Workbook %r refused as unreadable: %r", name, error)
        parsed.add(None, None, None, "The file is not an Excel workbook (.xlsx), or it is damaged")
        return parsed
    try:
        for spec in layout.SHEETS:
            if spec.title not in book.sheetnames:
                if spec.required:
                    parsed.add(spec.title, None, None, f"The workbook has no {spec.title!r} sheet")
                parsed.sheets[spec.title] = []
                continue
            parsed.sheets[spec.title] = read_sheet(book[spec.title], spec, parsed)
    except Exception as error:  # noqa: BLE001
        logger.info("Workbook %r refused while reading: %r", name, error)
        parsed.problems = [
            Problem(None, None, None, "The file is not an Excel workbook (.xlsx), or it is damaged")
        ]
        return parsed
    finally:
        book.close()
    if not parsed.problems:
        cross_check(parsed)
    return parsed


def read_sheet(sheet, spec, parsed):
    if sheet.max_row is not None and sheet.max_row > MAX_ROWS:
        parsed.add(spec.title, None, None, too_many_rows())
        return []
    width = len(spec.columns) + 10
    rows = sheet.iter_rows(min_row=1, max_row=MAX_ROWS + 1, max_col=width)
    header = next(rows, ())
    columns = read_header(header, spec, parsed)
    if columns is None:
        return []
    out = []
    for number, cells in enumerate(rows, start=2):
        if number > MAX_ROWS:
            parsed.add(spec.title, None, None, too_many_rows())
            return []
        values = {}
        for position, column in columns.items():
            cell = cells[position] if position < len(cells) else None
            values[column.key] = read_cell(cell, column, spec, number, parsed)
        if any(value not in (None, "", []) for value in values.values()):
            for column in spec.columns:
                if (
                    column.required
                    and values.get(column.key) in (None, "")
                    and not any(
                        p.sheet == spec.title and p.row == number and p.column == column.header
                        for p in parsed.problems
                    )
                ):
                    parsed.add(
                        spec.title, number, column.header, f"Enter the {column.header.lower()}"
                    )
            out.append(Row(number, values))
    return out


def read_header(cells, spec, parsed):
    """{cell position: Column} from the first row, or None if it is not usable."""
    known = {column.header.lower(): column for column in spec.columns}
    columns, problems = {}, len(parsed.problems)
    for position, cell in enumerate(cells):
        value = getattr(cell, "value", None)
        if value is None or str(value).strip() == "":
            continue
        header = str(value).strip()
        column = known.get(header.lower())
        if column is None:
            parsed.add(spec.title, 1, header, f"{header!r} is not a column of this sheet")
        elif column in columns.values():
            parsed.add(spec.title, 1, column.header, "The column appears twice")
        else:
            columns[position] = column
    for column in spec.columns:
        if column.required and column not in columns.values():
            parsed.add(spec.title, 1, column.header, "A required column is missing")
    return columns if len(parsed.problems) == problems else None


def read_cell(cell, column, spec, row, parsed):
    """The cell's cleaned value (None where blank), or None with a problem added."""
    if cell is None:
        return None
    value, kind = cell.value, getattr(cell, "data_type", "n")

    def problem(message):
        parsed.add(spec.title, row, column.header, message)

    if kind == "f":
        problem("The cell holds a formula: type its value instead (formulas are never calculated)")
        return None
    if kind == "e":
        problem(f"The cell holds an error ({value}): type its value instead")
        return None
    if value is None or isinstance(value, str) and not value.strip():
        return None
    if column.kind == layout.DATE:
        return read_date(value, problem)
    if column.kind == layout.NUMBER:
        return read_number(value, problem)
    if isinstance(value, float) and value == int(value):
        value = int(value)
    if isinstance(value, datetime.datetime | datetime.date):
        problem("Enter text, not a date")
        return None
    text = clean_typed_text(str(value)).strip()
    try:
        TypedText(column.header, one_line=column.kind == layout.LINE)(text)
    except ValidationError as error:
        problem(" ".join(error.messages))
        return None
    if column.choices:
        by_word = {word.lower(): stored for word, stored in column.choices.items()}
        if text.lower() not in by_word:
            problem(f"{text!r} is not one of: {', '.join(column.choices)}")
            return None
        return by_word[text.lower()]
    return text


def read_date(value, problem):
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    match = DATE_TEXT.match(str(value).strip())
    if match:
        day, month, year, iso_year, iso_month, iso_day = match.groups()
        try:
            if year:
                return datetime.date(int(year), int(month), int(day))
            return datetime.date(int(iso_year), int(iso_month), int(iso_day))
        except ValueError:
            pass
    problem(f"{str(value)[:40]!r} is not a date: enter a date such as 30/06/2018")
    return None


def read_number(value, problem):
    if isinstance(value, bool) or isinstance(value, datetime.date):
        problem("Enter a number")
        return None
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        problem(f"{str(value)[:40]!r} is not a number")
        return None
    if not number.is_finite():
        problem("Enter a number")
        return None
    return number


KEYS = {
    "Plan": ("slug",),
    "Findings answered": ("review", "code"),
    "Required outcomes": ("code",),
    "Actions": ("code",),
    "Owner roles": ("title",),
    "Owners": ("action", "role"),
    "Measures": ("slug",),
    "Targets": ("measure", "period_end"),
    "Figures": ("measure", "period_end"),
    "Ratings": ("action", "month"),
}


def cross_check(parsed):
    """Duplicate codes, and codes that name nothing on the sheet they refer to."""
    for title, key in KEYS.items():
        spec, seen = layout.BY_TITLE[title], {}
        for row in parsed.sheets[title]:
            value = tuple(row.values.get(k) for k in key)
            if value in seen:
                parsed.add(
                    title,
                    row.number,
                    spec.header_of(key[-1]),
                    f"{' '.join(str(v) for v in value)} is already on row {seen[value]}",
                )
            else:
                seen[value] = row.number
    plan_rows = parsed.sheets["Plan"]
    if len(plan_rows) != 1:
        parsed.add("Plan", None, None, "The Plan sheet must have exactly one row under its headers")
    needed = {"status": "Enter the plan's status", "live_from": "Enter the day the plan went live"}
    for row in plan_rows:
        life = [row.values.get(key) for key in layout.LIFE]
        for key, message in needed.items():
            if any(value not in (None, "") for value in life) and row.values.get(key) is None:
                parsed.add(
                    "Plan",
                    row.number,
                    layout.PLAN.header_of(key),
                    f"{message}: its life's other columns are filled",
                )
    finding_codes = {row.values["code"] for row in parsed.sheets["Findings answered"]}
    group_names = {row.values["group"] for row in parsed.sheets["Performance framework"]}
    outcome_codes = {row.values["code"] for row in parsed.sheets["Required outcomes"]}
    action_codes = {row.values["code"] for row in parsed.sheets["Actions"]}
    for row in parsed.sheets["Actions"]:
        outcome = row.values["code"].rpartition(".")[0]
        if outcome not in outcome_codes:
            parsed.add(
                "Actions",
                row.number,
                "Code",
                f"No required outcome {outcome!r} on the Required outcomes sheet",
            )
    measure_codes = {row.values["slug"] for row in parsed.sheets["Measures"]}
    refers = [
        ("Owners", "action", action_codes, "Actions"),
        ("Ratings", "action", action_codes, "Actions"),
        ("Targets", "measure", measure_codes, "Measures"),
        ("Figures", "measure", measure_codes, "Measures"),
        ("Outcomes sought", "finding", finding_codes, "Findings answered"),
    ]
    for title, key, known, other in refers:
        spec = layout.BY_TITLE[title]
        for row in parsed.sheets[title]:
            if row.values[key] not in known:
                parsed.add(
                    title,
                    row.number,
                    spec.header_of(key),
                    f"{row.values[key]!r} is not on the {other} sheet",
                )
    for row in parsed.sheets["Measures"]:
        group = row.values.get("group")
        if group is not None and group not in group_names:
            parsed.add(
                "Measures",
                row.number,
                "Group",
                f"{group!r} is not a group on the Performance framework sheet",
            )
        named = split_codes(row.values.get("actions"))
        row.values["actions"] = named
        row.values["findings"] = split_codes(row.values.get("findings"))
        unknown = [code for code in named if code not in action_codes]
        if unknown:
            parsed.add(
                "Measures",
                row.number,
                "Action codes",
                f"Not on the Actions sheet: {', '.join(unknown)}",
            )


def split_codes(value):
    return [code.strip() for code in (value or "").split(",") if code.strip()]
