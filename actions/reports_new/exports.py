"""The grid as CSV and XLSX, and the board pack as PDF.

Spreadsheets never run what officers typed: text starting with =, +, - or @ (or a tab or
carriage return) gets a leading apostrophe, the OWASP advice against formula injection.
"""

import csv
import hashlib
import io
import time

from django.core.cache import cache
from django.template.loader import render_to_string
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill

from .reports import stream_rows

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# GOV.UK tag colours (tint background): the word is in every cell too.
FILLS = {"green": "CCE2D8", "amber": "FCD6C3", "red": "F4CDC6", "grey": "E5E6E7"}


def spreadsheet_safe(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


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
    yield writer.writerow(header(quarters))
    for row in rows:
        yield writer.writerow([spreadsheet_safe(value) for value in row_values(row)])


def grid_xlsx(plan, actions, as_at=None):
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Progress grid")
    rows = stream_rows(plan, actions, as_at)
    quarters = next(rows)
    bold = Font(bold=True)
    titles = []
    for title in header(quarters):
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = bold
        titles.append(cell)
    sheet.append(titles)
    for row in rows:
        values = row_values(row)
        cells = [WriteOnlyCell(sheet, value=spreadsheet_safe(v)) for v in values]
        for cell, grid_cell in zip(cells[-len(quarters) :], row.cells, strict=True):
            if grid_cell.rating:
                cell.fill = PatternFill("solid", fgColor=FILLS[grid_cell.rating])
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def board_pack_pdf(context, base_url):
    from weasyprint import HTML  # imported here: it loads Pango, which only the pack needs

    html = render_to_string("actions/board_pack.html", context)
    return HTML(string=html, base_url=base_url).write_pdf(pdf_variant="pdf/ua-1")


# Making the pack takes WeasyPrint seconds. Everyone asking for the same pack of the same
# record gets one copy, from the shared (database) cache; while one request makes it, the
# others wait for it rather than making it too.
PACK_KEPT_FOR = 24 * 60 * 60
PACK_WAIT = 60


def cached_pdf(parts, make):
    key = "board-pack:" + hashlib.sha256(repr(parts).encode()).hexdigest()
    pdf = cache.get(key)
    if pdf is not None:
        return pdf
    making = key + ":making"
    if not cache.add(making, True, timeout=PACK_WAIT):
        deadline = time.monotonic() + PACK_WAIT
        while time.monotonic() < deadline:
            time.sleep(0.2)
            pdf = cache.get(key)
            if pdf is not None:
                return pdf
    try:
        pdf = make()
        cache.set(key, pdf, timeout=PACK_KEPT_FOR)
    finally:
        cache.delete(making)
    return pdf
