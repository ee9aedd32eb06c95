"""The quarterly progress grid, its filters, 'as at', exports and the board pack."""

import datetime
import io
import re
from collections import Counter

import pypdf
import pytest
from django.urls import reverse
from django.utils import timezone

from actions.models import Action, ActionOwner, OwnerRole, Plan, RatingColour
from actions.rules import flags
from actions.services import rating_correct, rating_decide
from tests.factories import (
    ActionFactory,
    PlanFactory,
    RatingFactory,
    UserFactory,
)
from tests.helpers import (
    RecordTestCase,
    action_by_code,
    assert_queries_do_not_grow,
    cells,
    csv_rows,
    table_row,
    xlsx_rows,
    xlsx_sheet,
)
from weaknesses.models import Finding


class GridOfTheRecordTests(RecordTestCase):
    def grid(self, **params):
        return self.client.get(reverse("actions:grid"), params)

    def test_a_2018_green_is_not_judged_by_a_2023_figure(self):
        # A2.7's March 2018 Green is not marked by the 4% published in 2023 (and the WSOA is
        # closed, so no warning sign shows); the measure still shows its latest verdict.
        page = self.grid().content.decode()
        row = table_row(page, ">A2.7</a>")
        assert "Green, but" not in row and "Warning:" not in row
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
            action=action_by_code("B2.2"),
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
        assert "As at the end of 31 March 2018" in response.content.decode()
        before = cells(self.grid(as_at="27/03/2018"))
        assert set(before["A2.2"]) == {"Not rated"}  # before the plan was fit for purpose

    def test_an_impossible_as_at_date_is_refused_with_a_message(self):
        response = self.grid(as_at="31/02/2018")
        page = response.content.decode()
        assert re.search(r"<title>\s*Error: ", page)
        assert page.count("Enter the date as day/month/year, for example 31/03/2018") == 2

    def test_each_filter_alone_and_combined(self):
        weakness_b = action_by_code("B1.1").required_outcome.weakness
        sen_manager = OwnerRole.objects.get(title="SEN Manager")
        organisation = (
            action_by_code("C2.1").owners.get(title="Designated Clinical Officer").organisation
        )
        # Owned by at least one role of the organisation.
        of_organisation = {
            owner.action.code
            for owner in ActionOwner.objects.filter(role__organisation=organisation)
        }
        assert 0 < len(of_organisation) < 82
        cases = [
            ({"weakness": weakness_b.pk}, lambda c: c.startswith("B"), 10),
            ({"owner": sen_manager.pk}, None, sen_manager.actions.count()),
            (  # the CCG, in the partnership until 30 June 2022
                {"organisation": organisation.pk, "as_at": "31/03/2019"},
                lambda c: c in of_organisation,
                len(of_organisation),
            ),
            ({"latest_rating": "red"}, None, 26),
            ({"latest_rating": "not_rated"}, None, 12),
            ({"not_updated": "on"}, None, 82),
            ({"weakness": weakness_b.pk, "latest_rating": "red"}, lambda c: c.startswith("B"), 5),
        ]
        for params, rule, expected in cases:
            with self.subTest(params=params):
                shown = cells(self.grid(**params))
                if rule:
                    assert all(rule(code) for code in shown)
                assert len(shown) == expected, (params, len(shown), expected)
                assert 0 < len(shown) <= 82
        # The WSOA closed on 20 November 2019: today nothing of it is overdue.
        assert flags.OVERDUE not in flags.flags(Action.objects.for_list()[0], timezone.localdate())
        assert cells(self.grid(overdue="on")) == {}

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

    def test_not_updated_this_month_leaves_out_the_actions_updated_this_month(self):
        this_month = timezone.localdate().replace(day=1)
        RatingFactory(action=action_by_code("A2.2"), month=this_month, rating="green")
        RatingFactory(action=action_by_code("D1.3"), month=this_month, submitted=True)
        shown = cells(self.grid(not_updated="on"))
        assert len(shown) == 80
        assert "A2.2" not in shown and "D1.3" not in shown and "A2.7" in shown

    def test_csv_rows_and_words_match_the_grid(self):
        response = self.client.get(reverse("actions:grid-csv"))
        assert response["Content-Type"].startswith("text/csv")
        rows = csv_rows(response)
        assert rows[0][-5:] == ["Mar 2018", "Jun 2018", "Sep 2018", "Dec 2018", "Mar 2019"]
        assert len(rows) == 83
        by_code = {row[2]: row[-5:] for row in rows[1:]}
        assert by_code == cells(self.grid())

    def test_xlsx_rows_words_and_colours_match_the_grid(self):
        response = self.client.get(reverse("actions:grid-xlsx"))
        sheet = xlsx_sheet(response)
        rows = xlsx_rows(response)
        assert len(rows) == 83
        by_code = {row[2]: list(row[-5:]) for row in rows[1:]}
        assert by_code == cells(self.grid())
        green = next(r for r in sheet.iter_rows(min_row=2) if r[2].value == "A2.2")[-5]
        assert green.value == "Green" and green.fill.fgColor.rgb.endswith("CCE2D8")

    def test_the_board_pack_pdf(self):
        response = self.client.get(reverse("actions:board-pack"))
        assert response["Content-Type"] == "application/pdf"
        pages = [
            " ".join(page.extract_text().split())
            for page in pypdf.PdfReader(io.BytesIO(response.content)).pages
        ]
        plan = Plan.objects.get()
        weaknesses = list(plan.findings.order_by("position"))
        headings = [
            "Summary by weakness",
            "Progress grid",
            "Measures",
            "Our ratings beside the inspectors' verdicts",
            *(f"Weakness {w.code}: {w.text[0].upper()}{w.text[1:]}" for w in weaknesses),
        ]
        # Every section starts a page, in this order, and runs until the next one; how
        # many pages each takes depends on the fonts installed.
        starts = [
            next(i for i, page in enumerate(pages) if page.startswith(heading))
            for heading in headings
        ]
        assert starts == sorted(starts) and starts[0] == 1, starts
        assert pages[0].startswith(plan.title)
        sections = {
            heading: " ".join(pages[start:end])
            for heading, start, end in zip(headings, starts, [*starts[1:], len(pages)], strict=True)
        }
        for number in range(1, len(pages) + 1):
            assert f"Page {number} of {len(pages)}" in pages[number - 1]

        # The summary counts weakness B's actions by their printed March 2018 rating.
        b = next(w for w in weaknesses if w.code == "B")
        actions = Action.objects.filter(required_outcome__weakness=b)
        printed = Counter(r.rating for a in actions for r in a.ratings.all())
        march = (
            " ".join(f"{colour.label} {printed[colour]}" for colour in RatingColour)
            + f" Not rated {actions.count() - sum(printed.values())}"
        )
        assert march == "Green 0 Amber 3 Red 5 Grey 0 Not rated 2"
        assert f"B: {b.text[0].upper()}{b.text[1:]} {march} Green 0" in sections[headings[0]]

        # A row of the grid, and the action on its weakness's page with its timescale.
        d51 = action_by_code("D5.1")
        assert (
            f"D5.1 {d51.text} {d51.ratings.get().get_rating_display()}" + " Not rated" * 4
            in sections["Progress grid"]
        )
        e41 = action_by_code("E4.1")
        e41_rating = e41.ratings.get()
        assert e41_rating.rating == "red"
        weakness_e = sections[headings[-1]]
        assert f"E4.1 {e41.text} {e41.timescale} Red (Mar 2018)" in weakness_e

        # Each weakness's page quotes its verdicts.
        for weakness, heading in zip(weaknesses, headings[4:], strict=True):
            for verdict in weakness.verdicts.all():
                said = (
                    f"{verdict.review.title} ({verdict.review.end_date:%B %Y}): "
                    f"{verdict.get_judgement_display()}."
                )
                assert said in sections[heading], (weakness.code, said)
        assert (
            "Joint area SEND revisit in Oxfordshire (October 2019): Not sufficient"
            in (sections[headings[5]])
        )

        # Each measure of the plan, by name, in the measures section.
        for measure in plan.measures.all():
            assert " ".join(measure.name.split()) in sections["Measures"], measure.name
        assert "% of EHC Plans completed within 20 weeks" in sections["Measures"]


def weakness_b_pk():
    return action_by_code("B1.1").required_outcome.weakness.pk


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
    rating_decide(
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


def test_an_actions_words_are_shown_as_text_not_markup(client, board):
    action = ActionFactory(text='<script>alert("x")</script> & <b>bold</b>')
    RatingFactory(action=action, rating="amber", commentary="Moving")
    client.force_login(board)
    page = client.get(reverse("actions:grid")).content.decode()
    assert "<script>alert" not in page and "<b>bold</b>" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in page


def test_text_that_a_spreadsheet_would_run_is_neutralised(client, board):
    for formula in ('=HYPERLINK("http://x")', "+1", "-2", "@SUM(A1)"):
        RatingFactory(action=ActionFactory(), rating="red", commentary=formula)
    client.force_login(board)
    commentaries = {row[5] for row in csv_rows(client.get(reverse("actions:grid-csv")))}
    assert {'\'=HYPERLINK("http://x")', "'+1", "'-2", "'@SUM(A1)"} <= commentaries
    values = {row[5] for row in xlsx_rows(client.get(reverse("actions:grid-xlsx")))[1:]}
    assert {'\'=HYPERLINK("http://x")', "'+1", "'-2", "'@SUM(A1)"} <= values


@pytest.mark.parametrize("url_name", ["actions:grid", "findings:list"])
def test_the_grid_does_not_grow_its_queries_with_actions_or_quarters(client, board, url_name):
    plan = PlanFactory()

    def build(count, months):
        for _ in range(count):
            action = ActionFactory()
            for i, month in enumerate(months):
                state = ["accepted", "accepted_with_board_rating", "submitted"][(i + 1) % 3]
                RatingFactory(action=action, month=month, commentary="x", **{state: True})

    build(2, [datetime.date(2018, 3, 1)])
    # A month in 2020 opens the page's window of eight quarters in July 2018, after the
    # first two actions' only month: their signs read before it, one query more, counted
    # before the plan grows.
    build(1, [datetime.date(2020, 5, 1)])
    client.force_login(board)
    more_months = [datetime.date(2018 + m // 12, m % 12 + 1, 1) for m in range(2, 42, 2)]
    response = assert_queries_do_not_grow(client, reverse(url_name), lambda: build(25, more_months))
    page = response.content.decode()
    if url_name == "actions:grid":
        assert response.context["plan"] == plan
        assert len(cells(response)) == 28
        assert len(response.context["grid"].quarters) > 5
        assert "Awaiting approval: Amber" in page and "Board's rating; officer: Amber" in page
    else:
        for finding in Finding.objects.all():
            assert f'href="{finding.get_absolute_url()}"' in page
        assert Finding.objects.count() == 28
