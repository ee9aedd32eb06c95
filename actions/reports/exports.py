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

from actions.rules import rating_key
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


def row_values(row):
    action = row.action
    return [
        action.required_outcome.weakness.code,
        action.required_outcome.code,
        action.code,
        action.text,
        action.timescale,
        row.latest.commentary,
        *(cell.export_words() for cell in row.cells),
    ]


class Echo:
    def write(self, value):
        return value


def grid_csv_lines(plan, actions, as_at=None):
    """CSV lines, one action at a time (for a StreamingHttpResponse)."""
    writer = csv.writer(Echo())
    rows = stream_rows(plan, actions, as_at)
    quarters = next(rows)
    yield "\ufeff"  # so that spreadsheet programs read the text as UTF-8
    yield writer.writerow([written(title) for title in header(quarters)])
    for row in rows:
        yield writer.writerow([written(value) for value in row_values(row)])


def grid_xlsx(plan, actions, as_at=None):
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Progress grid")
    rows = stream_rows(plan, actions, as_at)
    quarters = next(rows)
    bold = Font(bold=True)
    titles = []
    for title in header(quarters):
        cell = WriteOnlyCell(sheet, value=written(title))
        cell.font = bold
        titles.append(cell)
    sheet.append(titles)
    for row in rows:
        values = row_values(row)
        cells = [WriteOnlyCell(sheet, value=written(v)) for v in values]
        for cell, grid_cell in zip(cells[-len(quarters) :], row.cells, strict=True):
            if grid_cell.rating:
                # The GOV.UK tag's tint (rules.rating_key); the word is in every cell too.
                fill = rating_key.entry(grid_cell.rating).fill
                cell.fill = PatternFill("solid", fgColor=fill)
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
