"""The grid's filters, its cells and its exports agree: the "Latest rating" filter returns
exactly the actions whose latest rated cell shows that rating (issue 11's first bug), and a
filtered grid, its CSV, XLSX and board pack have the same quarters and rows (the second)."""

import csv
import datetime
import io

import openpyxl
import pypdf
import pytest
import time_machine
from django.urls import reverse

from actions import roles
from actions.services import rating_correct, rating_decide
from tests.factories import (
    ActionFactory,
    ApproverFactory,
    FindingFactory,
    PlanFactory,
    RatingFactory,
    RequiredOutcomeFactory,
    UserFactory,
)
from tests.helpers import from_header

pytestmark = pytest.mark.django_db

GRID = reverse("actions:grid")


def latest_word(response, code):
    """The word of the action's latest rated cell, as the grid shows it."""
    row = next(r for r in response.context["grid"].rows() if r.action.code == code)
    return row.latest.get_rating_display()


def codes(response):
    return sorted(row.action.code for row in response.context["grid"].rows())


RECORDED_ON = datetime.datetime(2026, 10, 1, 12, tzinfo=datetime.UTC)


@pytest.fixture
def four_states(client):
    """One action in each state the board can see, recorded by an officer in June 2018
    (entered on 1 October 2026)."""
    with time_machine.travel(RECORDED_ON, tick=False):
        plan = make_four_states()
    client.force_login(UserFactory(username="board", role=roles.BOARD_MEMBER))
    return plan


def make_four_states():
    plan = PlanFactory()
    weakness = FindingFactory(code="A", position=1)
    outcome = RequiredOutcomeFactory(plan=plan, weakness=weakness, number=1)
    plan.findings.add(weakness)
    officer = UserFactory(username="officer", role=roles.OFFICER)
    chair = ApproverFactory(user=UserFactory(username="chair", role=roles.BOARD_MEMBER)).user
    june = datetime.date(2018, 6, 1)

    board_red = ActionFactory(required_outcome=outcome, number=1)
    update = RatingFactory(
        action=board_red,
        month=june,
        rating="amber",
        commentary="Guidance drafted",
        recorded_by=officer,
        submitted=True,
    )
    rating_decide(rating=update, user=chair, expected_version=1, accept=True, board_rating="red")

    awaiting = ActionFactory(required_outcome=outcome, number=2)
    RatingFactory(
        action=awaiting,
        month=june,
        rating="red",
        commentary="Not started",
        recorded_by=officer,
        submitted=True,
    )

    accepted = ActionFactory(required_outcome=outcome, number=3)
    RatingFactory(action=accepted, month=june, rating="green", evidence="Minutes")

    ActionFactory(required_outcome=outcome, number=4)  # never rated
    return plan


@pytest.mark.parametrize(
    "rating, expected",
    [
        ("red", ["A1.1"]),  # the board's own Red, not the officer's Amber
        ("amber", []),
        ("green", ["A1.3"]),
        ("grey", []),
        ("not_rated", ["A1.2", "A1.4"]),  # an update awaiting approval is not rated yet
    ],
)
def test_the_latest_rating_filter_returns_what_the_cells_show(
    client, four_states, rating, expected
):
    filtered = client.get(GRID, {"latest_rating": rating})
    assert codes(filtered) == expected
    everything = client.get(GRID)
    word = {"not_rated": "Not rated"}.get(rating, rating.capitalize())
    assert [c for c in codes(everything) if latest_word(everything, c) == word] == expected


def test_the_filter_reads_the_grid_as_at_its_date(client, four_states):
    """As at a day, the filter reads the ratings as they stood then, as the cells do."""
    accepted = next(
        r.action for r in client.get(GRID).context["grid"].rows() if r.action.code == "A1.3"
    )
    rating = accepted.ratings.get()
    chair = UserFactory(username="chair")
    officer = UserFactory(username="officer")
    with time_machine.travel(datetime.datetime(2026, 11, 2, 12, tzinfo=datetime.UTC)):
        corrected = rating_correct(
            original=rating,
            user=officer,
            expected_version=rating.version,
            reason="It slipped",
            rating="red",
            commentary="Behind",
            evidence="",
            evidence_links="",
            wider_system="",
        )
        rating_decide(rating=corrected, user=chair, expected_version=corrected.version, accept=True)
    now_red = client.get(GRID, {"latest_rating": "red"})
    assert "A1.3" in codes(now_red)
    before = {"latest_rating": "green", "as_at": "01/11/2026"}
    then = client.get(GRID, before)
    assert codes(then) == ["A1.3"]
    assert latest_word(then, "A1.3") == "Green"
    assert codes(client.get(GRID, {"latest_rating": "red", "as_at": "01/11/2026"})) == ["A1.1"]


@pytest.fixture
def two_weaknesses(client):
    """Weakness A rated up to June 2018; weakness B has a rating in June 2019, a quarter
    after the plan's last (March 2019); entered on 1 October 2026."""
    with time_machine.travel(RECORDED_ON, tick=False):
        weakness = make_two_weaknesses()
    client.force_login(UserFactory(username="board", role=roles.BOARD_MEMBER))
    return weakness


def make_two_weaknesses():
    plan = PlanFactory()
    a, b = FindingFactory(code="A", position=1), FindingFactory(code="B", position=2)
    plan.findings.add(a, b)
    in_a = ActionFactory(
        required_outcome=RequiredOutcomeFactory(plan=plan, weakness=a, number=1), number=1
    )
    in_b = ActionFactory(
        required_outcome=RequiredOutcomeFactory(plan=plan, weakness=b, number=1), number=1
    )
    RatingFactory(action=in_a, month=datetime.date(2018, 6, 1), rating="amber")
    RatingFactory(action=in_b, month=datetime.date(2019, 6, 1), rating="red")
    return a


QUARTERS = ["Mar 2018", "Jun 2018", "Sep 2018", "Dec 2018", "Mar 2019", "Jun 2019"]


def test_a_filtered_grid_and_its_exports_have_the_same_columns_and_rows(client, two_weaknesses):
    query = {"weakness": two_weaknesses.pk}
    page = client.get(GRID, query)
    assert [f"{q:%b %Y}" for q in page.context["grid"].quarters] == QUARTERS
    assert codes(page) == ["A1.1"]

    response = client.get(reverse("actions:grid-csv"), query)
    rows = from_header(
        csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")))
    )
    assert rows[0][-6:] == QUARTERS
    assert [row[2] for row in rows[1:]] == ["A1.1"]
    assert rows[1][-6:] == ["Not rated", "Amber", *["Not rated"] * 4]

    xlsx = client.get(reverse("actions:grid-xlsx"), query)
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    table = from_header(sheet.active.iter_rows(values_only=True))
    assert list(table[0][-6:]) == QUARTERS
    assert [row[2] for row in table[1:]] == ["A1.1"]

    pack = client.get(reverse("actions:board-pack"), {**query, "as_at": "01/12/2026"})
    text = "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pack.content)).pages)
    assert "Jun 2019" in text
    assert "A1.1" in text and "B1.1" not in text.split("Progress grid", 1)[1].split("Measures")[0]
