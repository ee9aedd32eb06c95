"""The quarterly progress grid, its filters, 'as at', exports and the board pack."""

import csv
import datetime
import io
import re
from io import StringIO

import openpyxl
import pypdf
import pytest
from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from actions.models import Action, OwnerRole
from actions.rules import flags
from actions.services import rating_correct, rating_review
from tests.database import count_queries
from tests.factories import (
    ActionFactory,
    PlanFactory,
    RatingFactory,
    UserFactory,
)


def code_of(action_code):
    weakness, numbers = action_code[0], action_code[1:]
    required_outcome, number = numbers.split(".")
    return Action.objects.get(
        required_outcome__weakness__code=weakness,
        required_outcome__number=required_outcome,
        number=number,
    )


def cells(response):
    """{action code: [cell words per quarter]} from the rendered grid."""
    grid = response.context["grid"]
    return {row.action.code: [c.get_rating_display() for c in row.cells] for row in grid.rows()}


class GridOfTheRecordTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_record", stdout=StringIO())
        cls.board_member = UserFactory(username="board", board_member=True)

    def setUp(self):
        self.client.force_login(self.board_member)

    def grid(self, **params):
        return self.client.get(reverse("actions:grid"), params)

    def test_a_green_rating_over_an_off_track_measure_stands_out(self):
        page = self.grid().content.decode()
        row = page[page.index(">A2.7</a>") : page.index("</tr>", page.index(">A2.7</a>"))]
        assert "Green, but % of EHC Plans completed within 20 weeks is off track" in row
        measures = page[
            page.index("Measures beside the ratings") : page.index('aria-label="Progress grid"')
        ]
        assert "4% (" in measures and "Off track" in measures

    def test_the_march_2018_column_is_the_published_wsoa(self):
        response = self.grid()
        grid = cells(response)
        assert [f"{q:%b %Y}" for q in response.context["grid"].quarters] == [
            "Mar 2018",
            "Jun 2018",
            "Sep 2018",
            "Dec 2018",
            "Mar 2019",
        ]
        assert grid["A2.2"] == ["Green", "Not rated", "Not rated", "Not rated", "Not rated"]
        assert grid["B2.3"][0] == "Red" and grid["D1.3"][0] == "Amber"
        assert grid["B2.2"][0] == "Not rated"  # no printed rating: not rated, never Grey
        assert len(grid) == 82
        summary = dict(response.context["summary"])
        assert [summary[k][0] for k in ("Green", "Amber", "Red", "Grey", "Not rated")] == [
            9,
            35,
            26,
            0,
            12,
        ]

    def test_not_rated_never_looks_like_grey(self):
        officer = UserFactory(username="officer")
        RatingFactory(
            action=code_of("B2.2"),
            month=datetime.date(2018, 4, 1),
            rating="grey",
            commentary="Covered by the SEND strategy board",
            recorded_by=officer,
        )
        page = self.grid().content.decode()
        assert cells(self.grid())["B2.2"][:2] == ["Not rated", "Grey"]
        assert page.count('class="govuk-tag govuk-tag--grey">Grey</strong>') == 2  # key + cell
        assert 'class="govuk-tag app-rating--not-rated">Not rated</strong>' in page

    def test_the_grid_as_at_31_march_2018_shows_what_was_published(self):
        response = self.grid(as_at="31/03/2018")
        assert cells(response)["A2.2"][0] == "Green"
        assert "as at 31 March 2018" in response.content.decode()
        before = cells(self.grid(as_at="27/03/2018"))
        assert set(before["A2.2"]) == {"Not rated"}  # before the plan was fit for purpose

    def test_an_impossible_as_at_date_is_refused_with_a_message(self):
        response = self.grid(as_at="31/02/2018")
        page = response.content.decode()
        assert re.search(r"<title>\s*Error: ", page)
        assert page.count("Enter the date as day/month/year, for example 31/03/2018") == 2

    def test_each_filter_alone_and_combined(self):
        weakness_b = code_of("B1.1").required_outcome.weakness
        sen_manager = OwnerRole.objects.get(title="SEN Manager")
        cases = [
            ({"weakness": weakness_b.pk}, lambda c: c.startswith("B"), 10),
            ({"owner": sen_manager.pk}, None, sen_manager.actions.count()),
            (
                {
                    "organisation": code_of("C2.1")
                    .owners.get(title="Designated Clinical Officer")
                    .organisation.pk
                },
                None,
                None,
            ),
            ({"latest_rating": "red"}, None, 26),
            ({"latest_rating": "not_rated"}, None, 12),
            (
                {"overdue": "on"},
                None,
                sum(
                    1
                    for a in Action.objects.for_list()
                    if flags.is_overdue(a, timezone.localdate())
                ),
            ),
            ({"not_updated": "on"}, None, 82),
            ({"weakness": weakness_b.pk, "latest_rating": "red"}, lambda c: c.startswith("B"), 5),
        ]
        for params, rule, expected in cases:
            with self.subTest(params=params):
                shown = cells(self.grid(**params))
                if rule:
                    assert all(rule(code) for code in shown)
                if expected is not None:
                    assert len(shown) == expected, (params, len(shown), expected)
                assert 0 < len(shown) <= 82

    def test_the_weakness_page_quotes_the_2019_verdict_for_each_weakness(self):
        expected = {
            "A": "Sufficient progress",
            "B": "Not sufficient progress",
            "C": "Not sufficient progress",
            "D": "Sufficient progress",
            "E": "Sufficient progress",
        }
        for weakness in Action.objects.values_list(
            "required_outcome__weakness", flat=True
        ).distinct():
            response = self.client.get(reverse("findings:detail", args=[weakness]))
            finding = response.context["finding"]
            page = response.content.decode()
            verdict = finding.verdicts.get(review__slug="2019-revisit")
            assert f"October 2019: {expected[finding.code]}" in page
            assert verdict.reasons.split(".")[0].replace("'", "&#x27;") in page
        b = self.client.get(reverse("findings:detail", args=[weakness_b_pk()])).content.decode()
        assert "overly positive" in b and "Monitoring continues" in b

    def test_csv_rows_and_words_match_the_grid(self):
        response = self.client.get(reverse("actions:grid-csv"))
        assert response["Content-Type"].startswith("text/csv")
        text = b"".join(response.streaming_content).decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text)))
        assert rows[0][-5:] == ["Mar 2018", "Jun 2018", "Sep 2018", "Dec 2018", "Mar 2019"]
        assert len(rows) == 83
        by_code = {row[2]: row[-5:] for row in rows[1:]}
        assert by_code == cells(self.grid())

    def test_xlsx_rows_words_and_colours_match_the_grid(self):
        response = self.client.get(reverse("actions:grid-xlsx"))
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        rows = list(sheet.iter_rows(values_only=True))
        assert len(rows) == 83
        by_code = {row[2]: list(row[-5:]) for row in rows[1:]}
        assert by_code == cells(self.grid())
        green = next(r for r in sheet.iter_rows(min_row=2) if r[2].value == "A2.2")[-5]
        assert green.value == "Green" and green.fill.fgColor.rgb.endswith("CCE2D8")

    def test_the_board_pack_pdf(self):
        response = self.client.get(reverse("actions:board-pack"))
        assert response["Content-Type"] == "application/pdf"
        pdf = pypdf.PdfReader(io.BytesIO(response.content))
        text = "\n".join(page.extract_text() for page in pdf.pages)
        assert len(pdf.pages) == 31  # 28, and three of calibration against the inspectors
        for words in (
            "Green",
            "Amber",
            "Red",
            "Not rated",
            "Summary by weakness",
            "Measures",
            "% of EHC Plans completed within 20 weeks",
            "On track",
            "Not sufficient progress",
            "Sufficient progress",
            "Monitoring continues",
            "Our ratings beside the inspectors",
            f"Page 1 of {len(pdf.pages)}",
        ):
            assert words in text, words


def weakness_b_pk():
    return code_of("B1.1").required_outcome.weakness.pk


@pytest.fixture
def board(db):
    return UserFactory(username="board", board_member=True)


def test_several_ratings_in_a_quarter_the_latest_month_wins(client, board):
    action = ActionFactory()
    for month, colour in ((4, "red"), (6, "green"), (5, "amber")):
        RatingFactory(
            action=action,
            month=datetime.date(2018, month, 1),
            rating=colour,
            commentary="x",
            evidence="y",
        )
    client.force_login(board)
    assert cells(client.get(reverse("actions:grid")))[action.code][:2] == ["Not rated", "Green"]


def test_a_correction_after_the_as_at_date_does_not_change_the_grid_as_at_that_date(client, board):
    long_ago = timezone.make_aware(datetime.datetime(2018, 6, 20, 10, 0))
    rating = RatingFactory(
        month=datetime.date(2018, 6, 1), rating="amber", commentary="x", history_date=long_ago
    )
    correction = rating_correct(
        original=rating,
        user=rating.recorded_by,
        expected_version=1,
        reason="Board review",
        rating="red",
        commentary="Stalled",
        evidence="",
        evidence_links="",
    )
    rating_review(
        rating=correction,
        user=UserFactory(chair=True),
        expected_version=correction.version,
        accept=True,
    )
    client.force_login(board)
    code = rating.action.code
    as_then = cells(client.get(reverse("actions:grid"), {"as_at": "30/06/2018"}))
    now = cells(client.get(reverse("actions:grid")))
    assert as_then[code][1] == "Amber"
    assert now[code][1] == "Red"


def test_text_that_a_spreadsheet_would_run_is_neutralised(client, board):
    for formula in ('=HYPERLINK("http://x")', "+1", "-2", "@SUM(A1)"):
        RatingFactory(action=ActionFactory(), rating="red", commentary=formula)
    client.force_login(board)
    text = b"".join(client.get(reverse("actions:grid-csv")).streaming_content).decode("utf-8-sig")
    commentaries = {row[5] for row in csv.reader(io.StringIO(text))}
    assert {'\'=HYPERLINK("http://x")', "'+1", "'-2", "'@SUM(A1)"} <= commentaries
    sheet = openpyxl.load_workbook(
        io.BytesIO(client.get(reverse("actions:grid-xlsx")).content)
    ).active
    values = {row[5] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert {'\'=HYPERLINK("http://x")', "'+1", "'-2", "'@SUM(A1)"} <= values


@pytest.mark.parametrize("url_name", ["actions:grid", "findings:list"])
def test_the_grid_does_not_grow_its_queries_with_actions_or_quarters(
    client, board, django_assert_num_queries, url_name
):
    plan = PlanFactory()

    def build(count, months):
        for _ in range(count):
            action = ActionFactory()
            for i, month in enumerate(months):
                # Accepted with the board's own rating, awaiting review, and accepted.
                state = [{}, {"board_rating": "red"}, {"submitted": True}][(i + 1) % 3]
                RatingFactory(action=action, month=month, rating="amber", commentary="x", **state)

    build(2, [datetime.date(2018, 3, 1)])
    client.force_login(board)
    url = reverse(url_name)
    small = count_queries(client, url)
    build(25, [datetime.date(2018 + m // 12, m % 12 + 1, 1) for m in range(2, 30, 2)])
    with django_assert_num_queries(small):
        response = client.get(url)
    if url_name == "actions:grid":
        assert len(response.context["grid"].quarters) > 5
        page = response.content.decode()
        assert "Awaiting review: Amber" in page and "Board's rating; officer: Amber" in page
    assert plan.pk
