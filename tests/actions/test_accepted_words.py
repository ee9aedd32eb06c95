"""The board sees the accepted version, rating and words together, until a correction is
accepted: never the accepted Amber beside the officer's new, unreviewed commentary."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from actions.models import ApprovalStatus
from actions.services import rating_correct, rating_decide
from tests.database import count_queries
from tests.factories import ApproverFactory, RatingFactory
from tests.helpers import from_header


def export_rows(client, **params):
    """{kind: (latest commentary, first quarter's words)} of the action's row in each export."""
    response = client.get(reverse("actions:grid-csv"), params)
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    csv_rows = from_header(csv.reader(io.StringIO(text)))
    sheet = openpyxl.load_workbook(
        io.BytesIO(client.get(reverse("actions:grid-xlsx"), params).content)
    ).active
    xlsx_rows = from_header(sheet.iter_rows(values_only=True))
    return {
        kind: [(row[5] or "", row[7]) for row in rows[1:]]
        for kind, rows in (("csv", csv_rows), ("xlsx", xlsx_rows))
    }


def grid_cell(client, **params):
    response = client.get(reverse("actions:grid"), params)
    row = response.context["grid"].rows()[0]
    return row.cells[1], response.content.decode()


@pytest.fixture
def accepted(owned_action, officer):
    """June 2018: Amber "A", accepted."""
    return RatingFactory(action=owned_action, rating="amber", commentary="A", recorded_by=officer)


def correct(rating, officer):
    return rating_correct(
        original=rating,
        user=officer,
        expected_version=rating.version,
        reason="Stalled",
        rating="red",
        commentary="B",
        evidence="",
        evidence_links="",
    )


def test_a_correction_awaiting_approval_keeps_the_accepted_words(
    client, accepted, officer, board_member
):
    correction = correct(accepted, officer)
    client.force_login(board_member)
    rows = export_rows(client)
    assert rows["csv"] == rows["xlsx"] == [("A", "Amber; awaiting approval: Red")]
    cell, page = grid_cell(client)
    assert (cell.get_rating_display(), cell.commentary, cell.pending_rating) == (
        "Amber",
        "A",
        "red",
    )
    assert "Awaiting approval: Red" in page

    rating_decide(
        rating=correction,
        user=ApproverFactory().user,
        expected_version=correction.version,
        accept=True,
    )
    rows = export_rows(client)
    assert rows["csv"] == rows["xlsx"] == [("B", "Red")]
    cell, page = grid_cell(client)
    assert (cell.get_rating_display(), cell.commentary, cell.pending_rating) == ("Red", "B", "")


def test_a_returned_correction_keeps_the_accepted_words(client, accepted, officer, board_member):
    correction = correct(accepted, officer)
    rating_decide(
        rating=correction,
        user=ApproverFactory().user,
        expected_version=correction.version,
        accept=False,
        return_reason="Say why it stalled",
    )
    client.force_login(board_member)
    rows = export_rows(client)
    assert rows["csv"] == rows["xlsx"] == [("A", "Amber")]


def test_an_update_never_accepted_shows_no_words(client, owned_action, officer, board_member):
    RatingFactory(action=owned_action, commentary="Unreviewed", recorded_by=officer, submitted=True)
    client.force_login(board_member)
    rows = export_rows(client)
    assert rows["csv"] == rows["xlsx"] == [("", "Not rated; awaiting approval: Amber")]


def test_a_published_rating_shows_its_own_words(client, owned_action, board_member):
    RatingFactory(action=owned_action, commentary="As printed", published=True)
    client.force_login(board_member)
    assert export_rows(client)["csv"][0][0] == "As printed"


def at(day, hour=10):
    return timezone.make_aware(datetime.datetime(2018, 7, day, hour, 0))


def test_the_same_as_at_a_past_day(client, owned_action, officer, board_member):
    """Accepted Amber "A" on 1 July, corrected to Red "B" on 2 July, accepted on 3 July."""
    rating = RatingFactory(
        action=owned_action, rating="amber", commentary="A", recorded_by=officer, history_date=at(1)
    )
    rating.rating, rating.commentary = "red", "B"
    rating.approval_status, rating.decided_by, rating.decided_at = (
        ApprovalStatus.SUBMITTED,
        None,
        None,
    )
    rating.version += 1
    rating._history_date = at(2)
    rating.save()
    approver = ApproverFactory().user
    rating.approval_status, rating.accepted_rating = ApprovalStatus.ACCEPTED, "red"
    rating.decided_by, rating.decided_at = approver, at(3)
    rating.version += 1
    rating._history_date = at(3)
    rating.save()

    client.force_login(board_member)
    assert export_rows(client, as_at="01/07/2018")["csv"] == [("A", "Amber")]
    rows = export_rows(client, as_at="02/07/2018")
    assert rows["csv"] == rows["xlsx"] == [("A", "Amber; awaiting approval: Red")]
    cell, _ = grid_cell(client, as_at="02/07/2018")
    assert (cell.rating, cell.commentary, cell.pending_rating) == ("amber", "A", "red")
    assert export_rows(client, as_at="03/07/2018")["csv"] == [("B", "Red")]
    assert export_rows(client)["csv"] == [("B", "Red")]


def test_the_accepted_words_cost_no_query_per_row(client, owned_action, officer, board_member):
    """Many corrections awaiting approval, now and as at a day: the same queries as one."""
    from tests.factories import ActionFactory

    correct(RatingFactory(action=owned_action, commentary="A", recorded_by=officer), officer)
    client.force_login(board_member)
    today = timezone.localdate().strftime("%d/%m/%Y")
    urls = [
        reverse("actions:grid"),
        reverse("actions:grid-xlsx"),
        reverse("actions:grid") + f"?as_at={today}",
    ]
    small = [count_queries(client, url) for url in urls]
    for _ in range(10):
        action = ActionFactory(required_outcome=owned_action.required_outcome)
        for month in (3, 6, 9):
            rating = RatingFactory(
                action=action,
                month=datetime.date(2018, month, 1),
                commentary="A",
                recorded_by=officer,
            )
            correct(rating, officer)
    assert [count_queries(client, url) for url in urls] == small
