"""How many updates await the signed-in person's approval: exactly those they may approve
(permissions.may_approve), never their own, counted in the database in one query (beside
the one that reads whom they approve for), and shown in the navigation and on the home
page of the chair and the approvers."""

import datetime
import re

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actions import permissions
from actions.context_processors import approvals_awaiting
from actions.models import Rating
from tests.factories import (
    ActionFactory,
    ApproverFactory,
    RatingFactory,
    UserFactory,
)
from tests.helpers import assert_queries_do_not_grow


def nav(client):
    """The navigation's link to the approvals list, as HTML."""
    page = client.get(reverse("actions:list")).content.decode()
    start = page.index(f'href="{reverse("actions:approvals")}"')
    return page[start : page.index("</a>", start)]


@pytest.fixture
def record(officer, owned_action, approver):
    """Updates of two weaknesses in every state, by the officer and by the chair, and the
    board member approving the second weakness."""
    other = ActionFactory()
    approver_b = UserFactory(username="approver-b", board_member=True)
    ApproverFactory(user=approver_b, finding=other.required_outcome.weakness)
    months = iter(datetime.date(2018, m, 1) for m in range(1, 13))
    for action, count in ((owned_action, 3), (other, 2)):
        for _ in range(count):
            RatingFactory(action=action, month=next(months), recorded_by=officer, submitted=True)
    RatingFactory(action=owned_action, month=next(months), recorded_by=officer, accepted=True)
    RatingFactory(action=other, month=next(months), recorded_by=officer, returned=True)
    # The chair's own update (an administrator could be chair): not theirs to approve.
    RatingFactory(action=other, month=next(months), recorded_by=approver, submitted=True)
    RatingFactory(action=ActionFactory(), published=True)
    return {"chair": approver, "approver_b": approver_b}


def test_the_chair_sees_every_update_awaiting_approval_but_their_own(client, record):
    client.force_login(record["chair"])
    link = nav(client)
    assert "Awaiting approval" in link
    assert re.search(r'<span aria-hidden="true">\s*\(5\)\s*</span>', link)
    assert '<span class="govuk-visually-hidden">: 5 updates await your approval</span>' in link


def test_an_approver_sees_the_count_for_their_weakness(client, record):
    client.force_login(record["approver_b"])
    link = nav(client)
    assert "(3)" in link and "3 updates await your approval" in link


def test_an_officer_and_a_board_member_who_approves_nothing_see_no_count(
    client, record, officer, board_member
):
    for user in (officer, board_member):
        client.force_login(user)
        link = nav(client)
        assert "await your approval" not in link and "(" not in link


def test_the_count_matches_may_approve_on_every_rating(record, officer, board_member):
    awaiting = list(Rating.objects.awaiting_approval().select_related("action__required_outcome"))
    for user in (record["chair"], record["approver_b"], officer, board_member):
        expected = {rating.pk for rating in awaiting if permissions.may_approve(user, rating)}
        counted = set(
            permissions.ratings_approvable_by(user).awaiting_approval().values_list("pk", flat=True)
        )
        assert counted == expected, user


def home(client):
    """The home page's main content (the navigation is above it)."""
    page = client.get(reverse("home"), follow=True).content.decode()
    return page[page.index('<main class="govuk-main-wrapper"') :]


def test_the_home_page_tells_the_chair_how_many_await_them(client, record):
    client.force_login(record["chair"])
    main = home(client)
    assert "5 updates await your approval" in main
    assert f'href="{reverse("actions:approvals")}"' in main
    client.force_login(record["approver_b"])
    assert "3 updates await your approval" in home(client)


def test_the_home_page_of_an_officer_or_an_approver_with_nothing_waiting_says_nothing(
    client, officer, june_rating, board_member
):
    ApproverFactory(user=board_member, finding=june_rating.action.required_outcome.weakness)
    client.force_login(officer)  # june_rating is the officer's own
    assert "await your approval" not in home(client)
    client.force_login(board_member)
    assert "1 update awaits your approval" in home(client)
    june_rating.approval_status = "returned"
    june_rating.return_reason = "Why?"
    june_rating.decided_by = board_member
    june_rating.decided_at = june_rating.recorded_at
    june_rating.save()
    assert "await your approval" not in home(client)
    assert "(0)" in nav(client)


def test_the_count_takes_two_queries_once_the_roles_are_read(record):
    """Which weaknesses the user approves (read once a request, and shared with the page's
    own checks), and the count itself."""
    request = RequestFactory().get("/")
    request.user = type(record["chair"]).objects.get(pk=record["chair"].pk)
    context = approvals_awaiting(request)
    permissions.may_read(request.user)  # the page's own check reads the roles
    with CaptureQueriesContext(connection) as captured:
        assert context["approvals_awaiting"]() == 5
        assert context["approvals_awaiting"]() == 5  # once a request
    assert len(captured) == 2, [query["sql"] for query in captured.captured_queries]


def test_the_count_takes_no_query_until_a_page_shows_it(record):
    request = RequestFactory().get("/")
    request.user = record["chair"]
    with CaptureQueriesContext(connection) as captured:
        approvals_awaiting(request)
    assert len(captured) == 0


def test_pages_do_not_grow_their_queries_with_updates_awaiting(client, record, officer):
    actions = [ActionFactory() for _ in range(10)]

    def more():
        for action in actions:
            RatingFactory(action=action, recorded_by=officer, submitted=True)

    client.force_login(record["chair"])
    for url in (reverse("actions:list"), reverse("actions:approvals")):
        assert_queries_do_not_grow(client, url, more)
        actions = [ActionFactory() for _ in range(10)]
    assert "25 updates await your approval" in nav(client)


def test_the_approvals_list_links_only_what_the_user_may_approve(client, record):
    client.force_login(record["approver_b"])
    page = client.get(reverse("actions:approvals")).content.decode()
    approvable = permissions.ratings_approvable_by(record["approver_b"]).awaiting_approval()
    for rating in Rating.objects.awaiting_approval():
        url = reverse(
            "actions:rating-approve",
            args=[rating.action_id, rating.month.year, rating.month.month],
        )
        assert (f'href="{url}"' in page) == approvable.filter(pk=rating.pk).exists()


def test_the_lists_offer_the_link_each_person_must_follow_beside_the_action(
    client, officer, june_rating, approver, board_member
):
    july = RatingFactory(
        action=june_rating.action,
        month=datetime.date(2018, 7, 1),
        recorded_by=officer,
        returned=True,
    )
    correct = reverse("actions:rating-correct", args=[july.action_id, 2018, 7])
    review = reverse("actions:rating-approve", args=[june_rating.action_id, 2018, 6])
    client.force_login(officer)
    page = client.get(reverse("actions:list")).content.decode()
    row = page[page.index("<tbody") :]
    assert f'href="{correct}"' in row and f'href="{review}"' not in row
    assert "Correct and resubmit " in row
    client.force_login(approver)
    row = client.get(reverse("actions:list")).content.decode()
    row = row[row.index("<tbody") :]
    assert f'href="{review}"' in row and f'href="{correct}"' not in row
    assert (
        'Approve or return <span class="govuk-visually-hidden">the update to '
        f"{june_rating.action.code} for </span>June 2018"
    ) in row
    client.force_login(board_member)
    row = client.get(reverse("actions:list")).content.decode()
    assert f'href="{review}"' not in row and f'href="{correct}"' not in row
