"""Open data: every public table as CSV and JSON at stable addresses, as at a date, the
same numbers as the grid, cacheable, with a data dictionary and the licence; never a
name, commentary, evidence or note."""

import csv
import datetime
import io
import json

import pytest
from django.test import Client
from django.urls import reverse

from actions.models import Action, MeasureFigure, Plan, Rating
from actions.reports.grid import ProgressGrid
from actions.reports.open_data import TABLES
from actions.rules import as_at as as_at_rule
from actions.rules.shown import NOT_RATED
from tests.factories import (
    MeasureFactory,
    MeasureFigureFactory,
    RatingFactory,
    RoleHoldingFactory,
    UserFactory,
)
from tests.helpers import RecordTestCase, reopen_the_wsoa
from weaknesses.models import Finding

SENTINELS = [
    "SENTINEL-COMMENTARY",
    "SENTINEL-EVIDENCE",
    "SENTINEL-NOTE",
    "SENTINEL-SOURCE",
    "SENTINEL-REASON",
    "Zebedee",
    "Quarrington",
    "Yolanda",
    "Vexcombe",
]


def url(table, format, **query):
    return reverse(f"open-data-{format}", args=[table]), query


def csv_rows(response):
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def grid_cells(as_at):
    """{(plan, action code, quarter end): rating} as the grid's own cells hold them."""
    cells = {}
    for plan in Plan.objects.all():
        actions = Action.objects.filter(required_outcome__plan=plan).in_plan_order()
        grid = ProgressGrid(plan, actions, as_at=as_at, window=None)
        for row in grid.rows():
            for quarter, cell in zip(grid.quarters, row.cells, strict=True):
                cells[plan.slug, row.action.code, quarter.isoformat()] = cell.rating or NOT_RATED
    return cells


class OpenDataOnTheRecord(RecordTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        reopen_the_wsoa()  # so that later months can be rated, accepted or left awaiting
        officer = UserFactory(
            username="zebedee", officer=True, first_name="Zebedee", last_name="Quarrington"
        )
        chair = UserFactory(
            username="yolanda", chair=True, first_name="Yolanda", last_name="Vexcombe"
        )
        first, second = Action.objects.in_plan_order()[:2]
        RoleHoldingFactory(user=officer, role=first.owners.first())
        common = {"recorded_by": officer, "commentary": "SENTINEL-COMMENTARY"}
        RatingFactory(  # accepted, with the board's own rating and a note
            action=first,
            month=datetime.date(2018, 7, 1),
            rating="amber",
            evidence="SENTINEL-EVIDENCE",
            accepted_with_board_rating=True,
            board_rating="red",
            board_note="SENTINEL-NOTE",
            decided_by=chair,
            **common,
        )
        RatingFactory(  # awaiting approval: not in the open data, as not in the grid
            action=second,
            month=datetime.date(2018, 8, 1),
            rating="green",
            submitted=True,
            evidence="SENTINEL-EVIDENCE",
            **common,
        )
        RatingFactory(
            action=second,
            month=datetime.date(2018, 7, 1),
            rating="grey",
            returned=True,
            return_reason="SENTINEL-REASON",
            decided_by=chair,
            **common,
        )
        finding = Finding.objects.get(code="B")
        finding.notes = "SENTINEL-NOTE"
        finding.save()
        measure = MeasureFactory(plan=first.required_outcome.plan, notes="SENTINEL-NOTE")
        MeasureFigureFactory(
            measure=measure,
            period_end=datetime.date(2018, 6, 30),
            value=41,
            source="SENTINEL-SOURCE",
            note="SENTINEL-NOTE",
            recorded_by=officer,
        )

    def setUp(self):
        super().setUp()
        self.public = Client()

    def get(self, table, format, **query):
        path, query = url(table, format, **query)
        response = self.public.get(path, query)
        assert response.status_code == 200, (path, response.content[:300])
        return response

    def test_the_ratings_file_is_the_grid_cell_by_cell(self):
        for as_at in ("", "2018-03-31", "31/07/2018"):
            rows = csv_rows(self.get("ratings", "csv", as_at=as_at))
            shown = {(r["plan"], r["action"], r["quarter_end"]): r["rating"] for r in rows}
            assert shown == grid_cells(as_at_rule.parse(as_at)), as_at
            assert len(rows) == len(shown)  # one row per action and quarter
        now = {(r["action"], r["quarter_end"]): r for r in csv_rows(self.get("ratings", "csv"))}
        assert now["A1.1", "2018-09-30"]["rating"] == "red"  # the board's own rating
        assert now["A1.1", "2018-09-30"]["month"] == "2018-07-01"
        assert now["A1.2", "2018-09-30"]["rating"] == NOT_RATED  # awaiting or returned
        before = {
            (r["action"], r["quarter_end"]): r["rating"]
            for r in csv_rows(self.get("ratings", "csv", as_at="2018-03-31"))
        }
        assert before["A1.1", "2018-09-30"] == NOT_RATED  # not yet recorded then

    def test_json_carries_the_same_rows_as_csv_with_its_as_at_and_licence(self):
        for table in TABLES:
            document = json.loads(self.get(table, "json", as_at="2019-12-31").content)
            assert document["as_at"] == "2019-12-31"
            assert document["as_at_words"] == "As at the end of 31 December 2019"
            assert document["licence"] == "Open Government Licence v3.0"
            assert document["columns"] == [c.name for c in TABLES[table].columns]
            rows = csv_rows(self.get(table, "csv", as_at="2019-12-31"))
            assert rows, table
            as_text = [
                {k: "" if v is None else str(v) for k, v in r.items()} for r in document["rows"]
            ]
            assert as_text == rows, table

    def test_as_at_a_day_only_what_was_known_then(self):
        verdicts = csv_rows(self.get("verdicts", "csv", as_at="2019-11-19"))
        assert verdicts == []
        verdicts = csv_rows(self.get("verdicts", "csv", as_at="2019-11-20"))
        assert {(v["finding_code"], v["judgement"]) for v in verdicts} == {
            ("A", "sufficient_progress"),
            ("B", "not_sufficient_progress"),
            ("C", "not_sufficient_progress"),
            ("D", "sufficient_progress"),
            ("E", "sufficient_progress"),
        }
        findings = csv_rows(self.get("findings", "csv", as_at="2019-11-20"))
        assert [f["code"] for f in findings] == ["A", "B", "C", "D", "E"]
        assert len(csv_rows(self.get("findings", "csv"))) == 14
        figures = [
            m
            for m in csv_rows(self.get("measures", "csv", as_at="2018-06-29"))
            if m["kind"] == "figure" and m["value"] == "41"
        ]
        assert figures == []
        measures = csv_rows(self.get("measures", "csv"))
        assert {"kind": "target", "period_end": "2018-06-30", "value": "50"}.items() <= next(
            m for m in measures if m["measure"] == "ehcp-within-20-weeks" and m["kind"] == "target"
        ).items()

    def test_no_name_commentary_evidence_or_note_is_ever_published(self):
        for table in TABLES:
            for format in ("csv", "json"):
                body = self.get(table, format).content.decode("utf-8-sig")
                for sentinel in SENTINELS:
                    assert sentinel not in body, (table, format, sentinel)
                assert "zebedee" not in body and "yolanda" not in body

    def test_files_are_cacheable_and_answer_304_when_unchanged(self):
        response = self.get("ratings", "csv")
        assert response["Cache-Control"] == "public, max-age=300"
        tag = response["ETag"]
        assert tag.startswith('"') and "Set-Cookie" not in response
        again = self.public.get(url("ratings", "csv")[0], headers={"if-none-match": tag})
        assert again.status_code == 304 and again.content == b""
        json_tag = self.get("ratings", "json")["ETag"]
        again = self.public.get(url("ratings", "json")[0], headers={"if-none-match": json_tag})
        assert again.status_code == 304
        Rating.objects.filter(action__required_outcome__weakness__code="A").first().delete()
        assert (
            self.public.get(url("ratings", "csv")[0], headers={"if-none-match": tag}).status_code
            == 200
        )

    def test_a_bad_as_at_or_an_unknown_table_is_refused(self):
        for as_at in ("2099-01-01", "31/02/2018", "soon"):
            response = self.public.get(url("ratings", "csv")[0], {"as_at": as_at})
            assert response.status_code == 400
            assert "There is a problem" in response.content.decode()
        assert self.public.get("/open-data/no-such-table.csv").status_code == 404
        assert self.public.get("/open-data/ratings.xml").status_code == 404

    def test_the_dictionary_documents_every_table_column_and_the_licence(self):
        response = self.public.get(reverse("open-data"))
        page = response.content.decode()
        for table in TABLES.values():
            assert f'id="{table.slug}"' in page
            for format in ("csv", "json"):
                assert f'href="/open-data/{table.slug}.{format}"' in page
            for column in table.columns:
                assert f"<code>{column.name}</code>" in page, column.name
        assert "Open Government Licence v3.0" in page
        assert "?as_at=" in page
        footer = page[page.index("<footer") :]
        assert f'href="{reverse("open-data")}"' in footer

    def test_a_file_takes_a_few_queries_whatever_its_size(self):
        # the area (actions.areas), actions, their owners, the request's savepoint
        with self.assertNumQueries(5):
            self.public.get(url("actions", "csv")[0])


@pytest.mark.django_db
def test_what_a_figure_was_recorded_with_stays_private(client):
    figure = MeasureFigureFactory(source="SENTINEL-SOURCE", note="SENTINEL-NOTE")
    body = client.get(url("measures", "csv")[0]).content.decode()
    assert str(figure.measure.slug) in body
    assert "SENTINEL" not in body
    assert MeasureFigure.objects.count() == 1
