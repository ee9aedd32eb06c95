"""What many tests ask of the record and of a response: an action by its code, a grid's
cells, an export's rows, a table row of a page, whether a page's queries grow, a workbook
with rows added; and a test case on the real record."""

import csv
import io
from io import StringIO

import openpyxl
from django.core.management import call_command
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook


def with_rows(data, rows):
    """The workbook `data` with `rows` ({sheet: [[values]]}) appended."""
    book = load_workbook(io.BytesIO(data))
    for sheet, values in rows.items():
        for row in values:
            book[sheet].append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def action_by_code(code):
    """The action of the loaded record with a code such as "B2.3" (weakness B, required
    outcome 2, action 3)."""
    from actions.models import Action

    weakness, numbers = code[0], code[1:]
    required_outcome, number = numbers.split(".")
    return Action.objects.get(
        required_outcome__weakness__code=weakness,
        required_outcome__number=required_outcome,
        number=number,
    )


def cells(response):
    """{action code: [cell words per quarter]} from a rendered grid."""
    grid = response.context["grid"]
    return {row.action.code: [c.get_rating_display() for c in row.cells] for row in grid.rows()}


def from_header(rows):
    """An export's rows from its header on (the lines above say its as at and filters)."""
    rows = [list(row) for row in rows]
    return rows[next(i for i, row in enumerate(rows) if row and row[0] == "Weakness") :]


def preamble(rows):
    """An export's lines above its header, as text: its title, as at and filters."""
    rows = [list(row) for row in rows]
    end = next(i for i, row in enumerate(rows) if row and row[0] == "Weakness")
    return [" ".join(str(v) for v in row if v is not None) for row in rows[:end]]


def csv_all_rows(response):
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def csv_rows(response):
    """The rows of a CSV download (streamed, with a byte-order mark), header first."""
    return from_header(csv_all_rows(response))


def xlsx_sheet(response):
    """The active sheet of an XLSX download."""
    return openpyxl.load_workbook(io.BytesIO(response.content)).active


def xlsx_rows(response):
    """The rows of an XLSX download as values, header first."""
    return [tuple(row) for row in from_header(xlsx_sheet(response).iter_rows(values_only=True))]


def table_row(page, marker):
    """The HTML of the table row that holds `marker` (such as ">A2.7</a>")."""
    start = page.rindex("<tr", 0, page.index(marker))
    return page[start : page.index("</tr>", start)]


def fetched_with_queries(client, url, data=None):
    """(response, [SQL]) of one GET of a page."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, data)
    assert response.status_code == 200
    return response, [query["sql"] for query in captured.captured_queries]


def assert_queries_do_not_grow(client, url, grow, data=None):
    """The page takes as many queries after `grow()` adds rows as before it: count the
    queries of `url` as it stands, call `grow()`, and fetch it again. Returns the second
    response, for the test to check that the new rows are on it."""
    _, before = fetched_with_queries(client, url, data)
    grow()
    response, after = fetched_with_queries(client, url, data)
    assert len(after) == len(before), (
        f"{url} took {len(before)} queries, then {len(after)} with more rows:\n" + "\n".join(after)
    )
    return response


class RecordTestCase(TestCase):
    """Tests on the real record (loaded once for the class), signed in as a board member."""

    @classmethod
    def setUpTestData(cls):
        from tests.factories import UserFactory

        call_command("load_record", stdout=StringIO())
        cls.board_member = UserFactory(username="board", board_member=True)

    def setUp(self):
        self.client.force_login(self.board_member)


def reopen_the_wsoa():
    """Reopen the loaded WSOA (closed on 20 November 2019), as an administrator would in the
    admin, for a test that records or corrects its ratings as if it were live."""
    from actions.models import PlanLife

    life = PlanLife.objects.get(plan__slug="wsoa-2018")
    life.status, life.closed_on = "live", None
    life._change_reason = "Reopened for a test"
    life.save()
