"""The board's challenge: an officer's update is submitted, an approver accepts it (with the
board's own rating where it differs) or returns it with a reason, and the officer resubmits.
The reports show only accepted ratings and mark what awaits review."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from actions.models import ApprovalStatus, Rating, RatingSource
from actions.reports.history import rating_history
from actions.services import AlreadyDecided, RatingConflict, rating_correct, rating_decide
from tests.factories import (
    ActionFactory,
    ApproverFactory,
    RatingFactory,
    UserFactory,
)
from tests.helpers import assert_queries_do_not_grow, csv_rows


def review_url(rating):
    return reverse(
        "actions:rating-approve", args=[rating.action_id, rating.month.year, rating.month.month]
    )


def grid_cell(client, action, quarter=1):
    grid = client.get(reverse("actions:grid")).context["grid"]
    row = next(row for row in grid.rows() if row.action.pk == action.pk)
    return row.cells[quarter]


def stored(rating):
    """What a refused review must leave as it was: the row and its history."""
    rating.refresh_from_db()
    return (rating.version, rating.approval_status, rating.history.count())


def test_the_whole_flow_submit_return_resubmit_accept(
    client, officer, owned_action, approver, board_member
):
    # Submit: the officer records July; it waits for review and the grid does not show it.
    client.force_login(officer)
    client.post(
        reverse("actions:rating-create", args=[owned_action.pk]),
        {"month": "2018-07", "rating": "green", "commentary": "Done", "evidence": "Minutes"},
    )
    update = Rating.objects.get(action=owned_action)
    assert update.approval_status == ApprovalStatus.SUBMITTED
    client.force_login(board_member)
    cell = grid_cell(client, owned_action, quarter=2)
    assert (cell.get_rating_display(), cell.pending_rating) == ("Not rated", "green")
    assert "Awaiting approval: Green" in client.get(reverse("actions:grid")).content.decode()

    # Return, with a reason.
    client.force_login(approver)
    assert (
        f'href="{review_url(update)}"' in client.get(reverse("actions:approvals")).content.decode()
    )
    response = client.post(
        review_url(update),
        {
            "decision": "return",
            "return_reason": "The minutes do not show it embedding",
            "version": 1,
        },
    )
    assert response.status_code == 302
    update.refresh_from_db()
    assert update.approval_status == ApprovalStatus.RETURNED
    assert (update.decided_by, update.version) == (approver, 2)

    # The officer sees why, on My actions and on the action's page.
    client.force_login(officer)
    my_actions = client.get(reverse("actions:list")).content.decode()
    assert "Returned by an approver" in my_actions
    assert "The minutes do not show it embedding" in my_actions
    page = client.get(owned_action.get_absolute_url()).content.decode()
    assert "The minutes do not show it embedding" in page and "Correct and resubmit" in page

    # Resubmit as a correction: awaiting approval again, the reason still there for the approver.
    response = client.post(
        reverse("actions:rating-correct", args=[owned_action.pk, 2018, 7]),
        {
            "rating": "amber",
            "commentary": "Embedding in two of five teams",
            "evidence": "Audit",
            "reason": "Returned by the chair",
            "version": 2,
        },
    )
    assert response.status_code == 302
    update.refresh_from_db()
    assert (update.approval_status, update.rating, update.decided_by) == (
        "submitted",
        "amber",
        None,
    )
    client.force_login(approver)
    assert (
        "Resubmitted after being returned"
        in client.get(reverse("actions:approvals")).content.decode()
    )

    # Accept, with the board's own rating where it differs, and a note.
    response = client.post(
        review_url(update),
        {"decision": "accept", "board_rating": "red", "board_note": "No audit yet", "version": 3},
    )
    assert response.status_code == 302
    update.refresh_from_db()
    assert (update.approval_status, update.accepted_rating, update.board_rating) == (
        "accepted",
        "amber",
        "red",
    )

    # The grid shows the board's rating, and the officer's beside it.
    client.force_login(board_member)
    cell = grid_cell(client, owned_action, quarter=2)
    assert (cell.get_rating_display(), cell.officer_rating, cell.pending_rating) == (
        "Red",
        "amber",
        "",
    )
    assert "Board's rating; officer: Amber" in client.get(reverse("actions:grid")).content.decode()

    # Every step is in the history: who, when, what and why.
    reasons = list(
        update.history.order_by("history_date", "history_id").values_list(
            "history_change_reason", "approval_status", "history_user__username"
        )
    )
    assert reasons == [
        (None, "submitted", "officer-a"),
        ("Returned: The minutes do not show it embedding", "returned", "chair"),
        ("Returned by the chair", "submitted", "officer-a"),
        ("Accepted as Amber; the board rates it Red: No audit yet", "accepted", "chair"),
    ]
    kinds = [change.kind for change in rating_history(owned_action)]
    assert kinds == ["Accepted", "Corrected", "Returned", "Recorded"]


def test_accepting_with_the_officers_own_rating_keeps_no_board_rating(june_rating, approver):
    accepted = rating_decide(
        rating=june_rating, user=approver, expected_version=1, accept=True, board_rating="amber"
    )
    assert (accepted.accepted_rating, accepted.board_rating, accepted.shown()) == (
        "amber",
        "",
        "amber",
    )


def test_a_correction_of_an_accepted_rating_keeps_the_accepted_one_in_the_grid_until_decided(
    client, owned_action, officer, board_member
):
    accepted = RatingFactory(
        action=owned_action, rating="amber", commentary="x", recorded_by=officer
    )
    rating_correct(
        original=accepted,
        user=officer,
        expected_version=1,
        reason="Moved on",
        rating="green",
        commentary="Done",
        evidence="Signed off",
        evidence_links="",
    )
    client.force_login(board_member)
    cell = grid_cell(client, owned_action)
    assert (cell.get_rating_display(), cell.pending_rating) == ("Amber", "green")
    rows = csv_rows(client.get(reverse("actions:grid-csv")))
    row = next(r for r in rows if r[2] == owned_action.code)
    assert row[-4] == "Amber; awaiting approval: Green"


@pytest.mark.parametrize(
    "data, field, message",
    [
        (
            {"decision": "return", "return_reason": "   "},
            "return_reason",
            "Enter why you are returning the update",
        ),
        ({}, "decision", "Select whether to accept or return the update"),
        ({"decision": "approve"}, "decision", "Select whether to accept or return the update"),
        (
            {"decision": "accept", "board_rating": "purple"},
            "board_rating",
            "Select the board&#x27;s rating from the list",
        ),
        (
            {"decision": "return", "return_reason": "x" * 1001},
            "return_reason",
            "The reason must be 1,000 characters or fewer",
        ),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_stored(
    client, june_rating, approver, data, field, message
):
    before = stored(june_rating)
    client.force_login(approver)
    response = client.post(review_url(june_rating), {"version": 1, **data})
    page = response.content.decode()
    assert response.status_code == 200
    assert re.search(r"<title>\s*Error: ", page)
    assert "There is a problem" in page and f'href="#id_{field}' in page
    assert page.count(message) == 2
    assert stored(june_rating) == before


def test_a_stale_version_is_a_conflict_and_nothing_is_stored(
    client, june_rating, approver, officer
):
    rating_correct(
        original=june_rating,
        user=officer,
        expected_version=1,
        reason="Typo",
        rating="amber",
        commentary="Guidance drafted and shared",
        evidence="",
        evidence_links="",
    )
    before = stored(june_rating)
    client.force_login(approver)
    response = client.post(review_url(june_rating), {"decision": "accept", "version": 1})
    page = response.content.decode()
    assert re.search(r"<title>\s*Error: ", page)
    assert "This update changed while you were deciding on it" in page
    assert stored(june_rating) == before
    with pytest.raises(RatingConflict):
        rating_decide(rating=june_rating, user=approver, expected_version=1, accept=True)


def test_an_update_already_decided_cannot_be_decided_again(client, june_rating, approver):
    rating_decide(rating=june_rating, user=approver, expected_version=1, accept=True)
    with pytest.raises(AlreadyDecided):
        rating_decide(rating=june_rating, user=approver, expected_version=2, accept=False)
    before = stored(june_rating)
    client.force_login(approver)
    page = client.get(review_url(june_rating)).content.decode()
    assert "This update is not awaiting approval" in page
    response = client.post(
        review_url(june_rating), {"decision": "return", "return_reason": "x", "version": 2}
    )
    assert "now accepted" in response.content.decode()
    assert stored(june_rating) == before


def test_an_approver_named_for_one_weakness_decides_only_that_weakness(client, june_rating, caplog):
    other = RatingFactory(action=ActionFactory(), submitted=True)
    reviewer_of_other = ApproverFactory(finding=other.action.required_outcome.weakness).user
    client.force_login(reviewer_of_other)
    assert client.get(review_url(other)).status_code == 200
    assert client.get(review_url(june_rating)).status_code == 403
    assert "authz_denied" in caplog.text
    page = client.get(reverse("actions:approvals")).content.decode()
    assert f'href="{review_url(other)}"' in page and f'href="{review_url(june_rating)}"' not in page


def test_nobody_approves_their_own_update(client, owned_action, caplog):
    # An administrator who is also a board member named chair records an update...
    both = UserFactory(username="both", administrator=True, chair=True)
    own = RatingFactory(action=owned_action, recorded_by=both, submitted=True)
    client.force_login(both)
    # ...and may not review it.
    before = stored(own)
    response = client.post(review_url(own), {"decision": "accept", "version": 1})
    assert response.status_code == 403
    assert stored(own) == before
    assert f"object={own.pk}" in caplog.text


def test_an_approver_must_be_a_board_member(db):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="An approver must be a board member"):
        ApproverFactory.build(user=UserFactory(username="o", officer=True)).full_clean()


def test_approval_changes_are_post_only_and_need_csrf(june_rating, approver):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(approver)
    before = stored(june_rating)
    assert (
        client.post(review_url(june_rating), {"decision": "accept", "version": 1}).status_code
        == 403
    )
    plain = Client()
    plain.force_login(approver)
    assert plain.put(review_url(june_rating)).status_code == 405
    assert stored(june_rating) == before


def test_the_database_refuses_a_returned_update_without_a_reason(june_rating, approver):
    from tests.database import refused

    def save():
        june_rating.approval_status = ApprovalStatus.RETURNED
        june_rating.decided_by = approver
        june_rating.decided_at = june_rating.recorded_at
        june_rating.save()

    refused(save)


def test_the_database_refuses_an_officers_update_accepted_by_nobody(june_rating):
    from tests.database import refused

    def save():
        june_rating.approval_status = ApprovalStatus.ACCEPTED
        june_rating.accepted_rating = "amber"
        june_rating.save()

    refused(save)


@pytest.mark.django_db
def test_the_published_wsoa_ratings_count_as_accepted():
    call_command("load_record", stdout=StringIO())
    published = Rating.objects.filter(source=RatingSource.PUBLISHED_DOCUMENT)
    assert published.count() == 70
    assert set(published.values_list("approval_status", flat=True)) == {ApprovalStatus.ACCEPTED}
    assert all(r.accepted_rating == r.rating for r in published)
    assert not Rating.objects.awaiting_approval().exists()


def test_the_approval_list_does_not_grow_its_queries(client, approver, officer):
    def build(count):
        for _ in range(count):
            RatingFactory(action=ActionFactory(), submitted=True, recorded_by=officer)
            RatingFactory(action=ActionFactory(), returned=True, decided_by=approver)

    build(2)
    client.force_login(approver)
    url = reverse("actions:approvals")
    response = assert_queries_do_not_grow(client, url, lambda: build(20))
    assert response.content.decode().count(">Approve or return<span") == 22
