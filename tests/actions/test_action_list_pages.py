"""The actions list a page of 50 at a time, in plan order, with its filter kept on every
page link; a page that does not exist says so; the returned updates are listed whatever
page their action falls on."""

import datetime

import pytest
from django.urls import reverse

from actions.models import ActionOwner
from tests.factories import ActionFactory, RatingFactory
from tests.helpers import assert_queries_do_not_grow


def build(count, role):
    for _ in range(count):
        ActionOwner.objects.create(action=ActionFactory(), role=role)


@pytest.fixture
def sixty(owned_action):
    role = owned_action.owners.get()
    build(59, role)
    return role


def test_the_list_shows_fifty_and_links_to_the_next_page_keeping_the_filter(
    client, board_member, sixty
):
    client.force_login(board_member)
    response = client.get(reverse("actions:list"), {"owner": sixty.pk})
    page = response.content.decode()
    assert len(response.context["rows"]) == 50
    assert "Showing 1 to 50 of 60 actions" in page
    assert f'href="?owner={sixty.pk}&amp;page=2"' in page
    assert 'aria-current="page"' in page and 'class="govuk-pagination"' in page
    second = client.get(reverse("actions:list"), {"owner": sixty.pk, "page": 2})
    assert len(second.context["rows"]) == 10
    assert "Showing 51 to 60 of 60 actions" in second.content.decode()
    first_ids = {row["action"].pk for row in response.context["rows"]}
    assert not first_ids & {row["action"].pk for row in second.context["rows"]}


@pytest.mark.parametrize("value", ["abc", "0", "3", "-1", "99999999999999999999"])
def test_a_page_that_does_not_exist_says_so(client, board_member, sixty, value):
    client.force_login(board_member)
    response = client.get(reverse("actions:list"), {"page": value})
    assert response.status_code == 404
    page = response.content.decode()
    assert "There is no such page of this list" in page
    assert f'href="{reverse("actions:list")}"' in page


def test_a_returned_update_is_listed_whatever_page_its_action_is_on(
    client, officer, owned_action, sixty
):
    client.force_login(officer)
    first_page = {row["action"].pk for row in client.get(reverse("actions:list")).context["rows"]}
    last = ActionOwner.objects.filter(role=sixty).exclude(action__in=first_page).first().action
    RatingFactory(
        action=last,
        month=datetime.date(2018, 7, 1),
        recorded_by=officer,
        returned=True,
    )
    response = client.get(reverse("actions:list"))
    assert last.pk not in {row["action"].pk for row in response.context["rows"]}
    assert f"Correct and resubmit {last.code}, July 2018" in response.content.decode()


def test_a_page_of_the_list_does_not_grow_its_queries_with_actions(
    client, board_member, owned_action
):
    role = owned_action.owners.get()
    client.force_login(board_member)
    assert_queries_do_not_grow(client, reverse("actions:list"), lambda: build(80, role))
