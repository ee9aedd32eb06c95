"""Every figure is as at one date and says it: the grid page, its CSV and XLSX show the
same as at, rows and columns; a past as at shows only what was known then; bad and future
dates and unknown filters are refused in every format; a long plan's grid shows a window of
quarters; charts leave gaps; the XLSX reads back as a board officer needs it."""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from actions.models import MeasureFigure
from actions.reports.charts import MIN_PHONE_PX, PHONE_WIDTH, WIDTH, line_chart
from actions.rules import as_at
from tests.factories import (
    ActionFactory,
    MeasureFactory,
    MeasureTargetFactory,
    PlanFactory,
    RatingFactory,
    UserFactory,
)
from tests.helpers import (
    RecordTestCase,
    action_by_code,
    cells,
    csv_all_rows,
    csv_rows,
    from_header,
    preamble,
    xlsx_rows,
    xlsx_sheet,
)
from weaknesses.models import Finding

GRID, CSV, XLSX = "actions:grid", "actions:grid-csv", "actions:grid-xlsx"


def links(page):
    """{name: query} of the page's download links."""
    found = re.findall(r'href="/actions/(grid\.csv|grid\.xlsx|board-pack\.pdf)\?([^"]*)"', page)
    return {name: query.replace("&amp;", "&") for name, query in found}


class AsAtOfTheRecordTests(RecordTestCase):
    def test_every_format_of_a_view_shows_the_same_as_at_rows_and_columns(self):
        b = action_by_code("B1.1").required_outcome.weakness
        query = {"weakness": b.pk, "as_at": "31/03/2018"}
        page = self.client.get(reverse(GRID), query)
        words = "As at the end of 31 March 2018"
        assert words in page.content.decode()
        grid = cells(page)
        quarters = [f"{q:%b %Y}" for q in page.context["grid"].quarters]
        shared = links(page.content.decode())
        assert set(shared) == {"grid.csv", "grid.xlsx", "board-pack.pdf"}
        assert f"weakness={b.pk}" in shared["grid.csv"] and "as_at=2018-03-31" in shared["grid.csv"]
        csv_response = self.client.get(f"/actions/grid.csv?{shared['grid.csv']}")
        all_rows = csv_all_rows(csv_response)
        assert words in preamble(all_rows)
        assert f"Filters: Weakness: {b}" in preamble(all_rows)
        rows = from_header(all_rows)
        assert rows[0][-len(quarters) :] == quarters
        assert {row[2]: row[-len(quarters) :] for row in rows[1:]} == grid
        xlsx = self.client.get(f"/actions/grid.xlsx?{shared['grid.xlsx']}")
        sheet_rows = xlsx_rows(xlsx)
        assert list(sheet_rows[0][-len(quarters) :]) == quarters
        assert {r[2]: list(r[-len(quarters) :]) for r in sheet_rows[1:]} == grid
        assert xlsx_sheet(xlsx)["A2"].value == words

    def test_a_view_as_at_now_gives_its_moment_to_its_files(self):
        response = self.client.get(reverse(GRID))
        moment = timezone.localtime(response.context["as_at"].moment)
        words = f"As at {moment.day} {moment:%B %Y, %H:%M}"
        page = response.content.decode()
        assert words in page
        query = links(page)["grid.csv"]
        assert f"as_at={moment:%Y-%m-%dT%H}%3A{moment:%M}%3A{moment:%S}" in query
        # Later, a new rating: the file of that view still shows the view.
        RatingFactory(action=action_by_code("A2.2"), month=timezone.localdate().replace(day=1))
        rows = csv_all_rows(self.client.get(f"/actions/grid.csv?{query}"))
        assert words in preamble(rows)
        assert from_header(rows)[0][-1] == "Mar 2019"

    def test_a_past_as_at_shows_only_what_was_known_then(self):
        # A later figure: the 2023 4% is not on the grid as at 31 March 2018.
        then = self.client.get(reverse(GRID), {"as_at": "31/03/2018"}).content.decode()
        now = self.client.get(reverse(GRID)).content.decode()
        measures = now[now.index("Measures beside") : now.index('aria-label="Progress grid"')]
        assert "4% (" in measures
        assert "Measures beside" in then and "4% (" not in then
        # A later verdict: weakness B as at 31 March 2019 has no revisit verdict yet.
        b = action_by_code("B1.1").required_outcome.weakness
        url = reverse("findings:detail", args=[b.pk])
        page_2019 = self.client.get(url, {"as_at": "31/03/2019"}).content.decode()
        assert "Not sufficient progress" not in page_2019
        assert "No review had judged it by then" in page_2019
        assert "Not sufficient progress" in self.client.get(url).content.decode()
        # An ended organisation: the CCG is responsible in 2019, not now.
        assert "Responsible as at the end of 31 March 2019: " in page_2019
        responsible_2019 = page_2019.split("Responsible as at", 1)[1].split("</p>")[0]
        assert "(OCCG)" in responsible_2019
        today = self.client.get(url).content.decode()
        responsible_now = today.split("Responsible as at", 1)[1].split("</p>")[0]
        assert "(OCCG)" not in responsible_now and "(OCC)" in responsible_now
        assert "was responsible until 30 June 2022" in today
        # Calibration as at a day before the revisit's letter lists no revisit verdict.
        calibration = self.client.get(reverse("findings:calibration"), {"as_at": "01/11/2019"})
        assert "revisit" not in calibration.content.decode().split('id="as-at"')[1].lower()

    def test_calibration_says_how_old_the_ratings_are(self):
        page = self.client.get(reverse("findings:calibration")).content.decode()
        assert "The newest of them is for March 2018: ratings 19 months before the review" in page
        assert "the verdict was issued on 20 November 2019" in page

    def test_invalid_and_future_dates_are_refused_in_every_format(self):
        tomorrow = timezone.localdate() + datetime.timedelta(days=1)
        for value, message in [
            ("31/02/2018", as_at.INVALID),
            ("yesterday", as_at.INVALID),
            (f"{tomorrow:%d/%m/%Y}", as_at.FUTURE),
            ("31/12/2099", as_at.FUTURE),
            ("2099-01-01T00:00:00", as_at.FUTURE),
        ]:
            for name in (GRID, CSV, XLSX):
                with self.subTest(value=value, name=name):
                    response = self.client.get(reverse(name), {"as_at": value})
                    assert response.status_code == 400
                    assert response["Content-Type"].startswith("text/html")
                    page = response.content.decode().replace("&#x201C;", "“")
                    assert "There is a problem" in page and message.split("“")[0] in page
                    assert not links(page)
            pack = self.client.get(reverse("actions:board-pack"), {"as_at": value})
            assert pack.status_code == 400
        for name in ("findings:calibration", "actions:measures"):
            assert self.client.get(reverse(name), {"as_at": "31/12/2099"}).status_code == 400

    def test_unknown_filters_are_refused_not_ignored(self):
        cases = [
            ({"weakness": "999999"}, "Choose a weakness of this plan from the list"),
            ({"owner": "999999"}, "Choose an owner role from the list"),
            ({"organisation": "999999"}, "Choose an organisation in the partnership"),
            ({"latest_rating": "purple"}, "Choose a rating from the list"),
            ({"colour": "red"}, "is not a filter of the progress grid"),
        ]
        # A weakness of another plan is unknown to this one.
        cases.append(({"weakness": Finding.objects.get(code="APA1").pk}, "Choose a weakness"))
        for query, message in cases:
            for name in (GRID, CSV, XLSX):
                with self.subTest(query=query, name=name):
                    response = self.client.get(reverse(name), query)
                    assert response.status_code == 400
                    page = response.content.decode().replace("&#x27;", "'")
                    assert message in page and not links(page)
                    assert "app-grid" not in page

    def test_the_as_at_box_names_its_hint_and_its_error(self):
        page = self.client.get(reverse(GRID), {"as_at": "31/13/2018"}).content.decode()
        box = re.search(r'<input[^>]*name="as_at"[^>]*>', page).group(0)
        described = re.search(r'aria-describedby="([^"]+)"', box).group(1).split()
        assert described == ["id_as_at-hint", "id_as_at-error"]
        for name in described:
            assert f'id="{name}"' in page
        assert 'href="#id_as_at"' in page and 'aria-invalid="true"' in box


@pytest.fixture
def board(db):
    return UserFactory(username="board", board_member=True)


def test_a_grid_of_36_quarters_shows_a_window_with_navigation(client, board):
    plan = PlanFactory()
    action = ActionFactory()
    first = plan.first_quarter_end
    RatingFactory(action=action, month=first.replace(day=1), rating="red", commentary="x")
    last_month = datetime.date(first.year + 8, first.month, 1)  # 33 quarters on
    late = last_month.replace(year=last_month.year + 0)
    with time_machine.travel(timezone.make_aware(datetime.datetime(late.year, late.month, 20))):
        RatingFactory(action=action, month=late, rating="green", evidence="Done")
        client.force_login(board)
        response = client.get(reverse(GRID))
        grid = response.context["grid"]
        total = len(grid.window.quarters)
        assert total >= 33
        assert len(grid.quarters) == 8 and grid.quarters[-1] == grid.window.quarters[-1]
        assert cells(response)[action.code][-1] == "Green"  # the live column is on the page
        page = response.content.decode()
        assert "Earlier quarters" in page and "Later quarters" not in page
        earlier = re.search(r'href="\?([^"]*quarters=[^"]*)" rel="prev"', page).group(1)
        older = client.get(f"{reverse(GRID)}?{earlier.replace('&amp;', '&')}")
        assert older.context["grid"].quarters[-1] == grid.window.quarters[-9]
        assert "Later quarters" in older.content.decode()
        assert len(csv_rows(client.get(reverse(CSV)))[0]) == 6 + total  # files: every quarter
        assert client.get(reverse(GRID), {"quarters": "2018-04"}).status_code == 400


def test_a_chart_leaves_gaps_where_there_were_no_figures(db):
    measure = MeasureFactory(unit="percent", better="higher")
    measure.baseline_value, measure.baseline_period_end = 35, datetime.date(2017, 9, 29)
    measure.baseline_label = "At inspection"
    measure.save()
    MeasureTargetFactory(measure=measure, period_end=datetime.date(2018, 6, 30), value=50)
    MeasureFigure.objects.create(
        measure=measure, period_end=datetime.date(2023, 7, 13), label="2023", value=4, source="x"
    )
    svg = str(line_chart(measure, measure.progress()))
    actual = [p for p in re.findall(r'<polyline points="([^"]+)"[^>]*stroke="#1d70b8"', svg)]
    assert actual == []  # two real points, years apart: no line drawn between them
    assert svg.count("<circle") == 2
    sizes = [int(size) for size in re.findall(r'font-size="(\d+)"', svg)]
    assert min(sizes) * PHONE_WIDTH / WIDTH >= MIN_PHONE_PX


def test_a_figure_is_known_from_its_period_end_or_when_it_was_recorded(db):
    measure = MeasureFactory()
    recorder = UserFactory()
    figure = MeasureFigure.objects.create(
        measure=measure,
        period_end=datetime.date(2018, 6, 30),
        label="June 2018",
        value=40,
        source="x",
        recorded_by=recorder,
        recorded_at=timezone.make_aware(datetime.datetime(2018, 8, 3, 9, 0)),
    )
    assert measure.known_figures(as_at.parse("31/07/2018")) == []
    assert measure.known_figures(as_at.parse("03/08/2018")) == [figure]
    record = MeasureFigure.objects.create(
        measure=measure, period_end=datetime.date(2019, 3, 31), label="2019", value=1, source="y"
    )
    assert record in measure.known_figures(as_at.parse("31/03/2019"))
    assert record not in measure.known_figures(as_at.parse("30/03/2019"))


def test_the_xlsx_reads_back_as_a_board_officer_needs_it(client, board):
    action = ActionFactory()
    RatingFactory(action=action, month=datetime.date(2018, 6, 1), rating="amber", commentary="x")
    client.force_login(board)
    sheet = xlsx_sheet(client.get(reverse(XLSX), {"as_at": "30/09/2018"}))
    assert sheet["A2"].value == "As at the end of 30 September 2018"
    assert sheet["A3"].value == "Filters: none (every action of the plan)"
    assert sheet["A5"].value == "Weakness"
    assert sheet.freeze_panes == "A6"
    last = sheet.max_column
    assert sheet.auto_filter.ref.startswith("A5:") and sheet.auto_filter.ref.endswith("6")
    assert sheet.column_dimensions["D"].width == 60
    weakness = action.required_outcome.weakness
    assert sheet["A6"].value.startswith(f"{weakness.code}: ") and len(sheet["A6"].value) > 5
    assert sheet["B6"].value.startswith(f"{action.required_outcome.code}: ")
    assert last > 6
