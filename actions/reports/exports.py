"""The grid as CSV and XLSX, streamed a chunk of actions at a time.

Spreadsheets never run what officers typed: text starting with =, +, - or @ (or a tab or
carriage return) gets a leading apostrophe, the OWASP advice against formula injection.
Every value both writers write goes through `written()`, which also leaves out what a
spreadsheet cannot hold (rules.text.printable): text stored before the forms refused
control characters, and the history, which keeps it for ever.
"""

import csv
import io
import unicodedata

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from actions.rules import rating_key
from actions.rules.as_at import as_at_of
from actions.rules.text import printable

from .grid import stream_rows

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    """Text a spreadsheet would run as a formula, with a leading apostrophe. The check reads
    the text as NFKC, since spreadsheets take a full-width ＝ ＋ － ＠ for = + - @."""
    if isinstance(value, str) and unicodedata.normalize("NFKC", value[:1]).startswith(
        FORMULA_STARTS
    ):
        return "'" + value
    return value


def written(value):
    """A value as both writers write it: printable, and never run as a formula."""
    return spreadsheet_safe(printable(value))


def header(quarters):
    return [
        "Weakness",
        "Required outcome",
        "Action",
        "What will be done",
        "Timescale",
        "Latest commentary",
        *(f"{q:%b %Y}" for q in quarters),
    ]


def preamble(plan, as_at, filters):
    """The lines above the header: what the file is, its as at, and its filters."""
    words = "; ".join(f"{label}: {value}" for label, value in filters)
    return [
        [f"{plan.title}: progress grid"],
        [as_at_of(as_at).words()],
        [f"Filters: {words}" if words else "Filters: none (every action of the plan)"],
        [],
    ]


def row_values(row):
    action = row.action
    weakness, outcome = action.required_outcome.weakness, action.required_outcome
    return [
        f"{weakness.code}: {weakness.text[:1].upper()}{weakness.text[1:]}",
        f"{outcome.code}: {outcome.title}",
        action.code,
        action.text,
        action.timescale,
        row.latest.commentary,
        *(cell.export_words() for cell in row.cells),
    ]


class Echo:
    def write(self, value):
        return value


def grid_csv_lines(plan, actions, as_at=None, filters=()):
    """CSV lines, one action at a time (for a StreamingHttpResponse): the preamble (as
    at, filters), a blank line, the header, the rows."""
    writer = csv.writer(Echo())
    rows = stream_rows(plan, actions, as_at)
    quarters = next(rows)
    yield "\ufeff"  # so that spreadsheet programs read the text as UTF-8
    for line in preamble(plan, as_at, filters):
        yield writer.writerow([written(value) for value in line])
    yield writer.writerow([written(title) for title in header(quarters)])
    for row in rows:
        yield writer.writerow([written(value) for value in row_values(row)])


WIDTHS = [40, 40, 9, 60, 18, 60]  # characters; each quarter's column is QUARTER_WIDTH
QUARTER_WIDTH = 16


def grid_xlsx(plan, actions, as_at=None, filters=()):
    """The grid as a workbook a board officer can use: the preamble (as at, filters) on
    top, the header row frozen under it with an autofilter, set column widths, and each
    cell's word on the rating key's tint."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Progress grid")
    rows = stream_rows(plan, actions, as_at)
    quarters = next(rows)
    lines = preamble(plan, as_at, filters)
    header_row = len(lines) + 1
    for number, width in enumerate([*WIDTHS, *[QUARTER_WIDTH] * len(quarters)], start=1):
        sheet.column_dimensions[get_column_letter(number)].width = width
    sheet.freeze_panes = f"A{header_row + 1}"
    bold = Font(bold=True)
    for line in lines:
        sheet.append([written(value) for value in line])
    titles = []
    for title in header(quarters):
        cell = WriteOnlyCell(sheet, value=written(title))
        cell.font = bold
        titles.append(cell)
    sheet.append(titles)
    last_row = header_row
    for row in rows:
        last_row += 1
        values = row_values(row)
        cells = [WriteOnlyCell(sheet, value=written(v)) for v in values]
        for cell, grid_cell in zip(cells[-len(quarters) :], row.cells, strict=True):
            if grid_cell.rating:
                # The GOV.UK tag's tint (rules.rating_key); the word is in every cell too.
                fill = rating_key.entry(grid_cell.rating).fill
                cell.fill = PatternFill("solid", fgColor=fill)
        sheet.append(cells)
    sheet.auto_filter.ref = f"A{header_row}:{get_column_letter(len(titles))}{last_row}"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
