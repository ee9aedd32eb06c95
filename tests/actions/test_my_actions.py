"""'My actions', the flags a board wants to see, and the action page's query budget."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from actions.models import Action, ActionOwner, RoleHolding
from actions.rules import flags
from tests.factories import (
    ActionFactory,
    ActionOwnerFactory,
    OwnerRoleFactory,
    RatingFactory,
)
from tests.helpers import assert_queries_do_not_grow, table_row

TODAY = datetime.date(2018, 9, 14)


def rate(action, *months_and_colours):
    for month, colour in months_and_colours:
        RatingFactory(action=action, month=month, rating=colour)


@pytest.mark.django_db
class TestFlags:
    def test_due_for_update_until_the_current_month_is_rated(self):
        action = ActionFactory()
        assert flags.is_due_for_update(action, TODAY)
        rate(action, (datetime.date(2018, 9, 1), "amber"))
        assert not flags.is_due_for_update(action, TODAY)

    @pytest.mark.parametrize(
        "due, latest, overdue",
        [
            (datetime.date(2018, 6, 30), None, True),
            (datetime.date(2018, 6, 30), "amber", True),
            (datetime.date(2018, 6, 30), "green", False),
            (datetime.date(2018, 12, 31), "red", False),
            (None, "red", False),
        ],
    )
    def test_overdue_when_the_due_date_has_passed_and_it_is_not_green(self, due, latest, overdue):
        action = ActionFactory(due_date=due)
        if latest:
            rate(action, (datetime.date(2018, 8, 1), latest))
        assert flags.is_overdue(action, TODAY) is overdue

    @pytest.mark.parametrize(
        "history, stuck",
        [
            ([(6, "amber"), (7, "amber"), (8, "amber")], True),
            ([(6, "amber"), (8, "amber")], True),  # an unrated July leaves it unchanged
            ([(7, "amber"), (8, "amber")], True),  # July to September, counted to today
            ([(8, "amber")], False),  # August and September: two months
            ([(6, "red"), (8, "amber")], False),
            ([(6, "red"), (7, "amber"), (8, "amber")], True),
            ([(6, "green"), (7, "green"), (8, "green")], False),
            ([(3, "grey"), (9, "grey")], True),
        ],
    )
    def test_stuck_when_the_same_non_green_rating_lasts_three_months(self, history, stuck):
        action = ActionFactory()
        rate(action, *[(datetime.date(2018, month, 1), colour) for month, colour in history])
        assert flags.is_stuck(action, TODAY) is stuck


def test_an_officer_sees_the_actions_of_the_roles_they_hold_with_flags(
    client, officer, owned_action
):
    ActionFactory(text="Somebody else's action")
    RatingFactory(
        action=owned_action,
        month=timezone.localdate().replace(day=1),
        rating="red",
        commentary="Stalled",
    )
    client.force_login(officer)
    page = client.get(reverse("actions:list")).content.decode()
    assert "My actions" in page
    assert "Somebody else" not in page
    row = table_row(page, f'href="{owned_action.get_absolute_url()}"')
    assert owned_action.text in row and ">Red</strong>" in row
    assert f'data-label="Last update">{timezone.localdate():%B %Y}</td>' in row


def test_the_list_flags_the_overdue_and_the_stuck_actions(client, officer, owned_action):
    role = owned_action.owners.get()
    overdue = ActionOwnerFactory(role=role, action=ActionFactory(overdue=True)).action
    stuck = ActionOwnerFactory(role=role, action=ActionFactory(stuck=True)).action
    client.force_login(officer)
    with time_machine.travel(datetime.datetime(2018, 9, 14, 12, tzinfo=datetime.UTC), tick=False):
        page = client.get(reverse("actions:list")).content.decode()
    flags_of = {
        action: table_row(page, f'href="{action.get_absolute_url()}"').split("app-flags")[1]
        for action in (owned_action, overdue, stuck)
    }
    assert "Overdue" in flags_of[overdue] and "Stuck" not in flags_of[overdue]
    assert "Stuck" in flags_of[stuck] and "Overdue" not in flags_of[stuck]
    assert "Overdue" not in flags_of[owned_action] and "Stuck" not in flags_of[owned_action]


def test_board_members_see_every_action_and_filter_by_owner(client, board_member):
    first = ActionOwnerFactory(role=OwnerRoleFactory(title="SEN Manager")).action
    second = ActionOwnerFactory(role=OwnerRoleFactory(title="Designated Clinical Officer")).action
    client.force_login(board_member)
    page = client.get(reverse("actions:list")).content.decode()
    assert first.text in page and second.text in page
    role = second.owners.get()
    page = client.get(reverse("actions:list"), {"owner": role.pk}).content.decode()
    assert second.text in page and first.text not in page
    assert ">Not rated</strong>" in page


def build_actions(count, officer, role):
    for _ in range(count):
        action = ActionFactory()
        ActionOwner.objects.create(action=action, role=role)
        for month in (3, 4, 5, 6):
            RatingFactory(action=action, month=datetime.date(2018, month, 1), recorded_by=officer)


@pytest.mark.parametrize("viewer", ["officer", "board_member"])
def test_my_actions_does_not_grow_its_queries_with_actions_or_months(
    request, client, officer, owned_action, viewer
):
    role = owned_action.owners.get()
    build_actions(2, officer, role)
    client.force_login(request.getfixturevalue(viewer))
    url = reverse("actions:list")
    response = assert_queries_do_not_grow(client, url, lambda: build_actions(30, officer, role))
    assert len(response.context["rows"]) == 33
    page = response.content.decode()
    assert all(f'href="{a.get_absolute_url()}"' in page for a in Action.objects.all())


def test_the_action_page_does_not_grow_its_queries_with_months(client, officer, owned_action):
    rate(owned_action, (datetime.date(2018, 3, 1), "amber"))
    client.force_login(officer)

    def nine_more_months():
        for month in range(4, 13):
            RatingFactory(
                action=owned_action,
                month=datetime.date(2018, month, 1),
                recorded_by=officer,
                rating="red",
                commentary="x",
            )

    response = assert_queries_do_not_grow(client, owned_action.get_absolute_url(), nine_more_months)
    assert response.content.decode().count("Recorded the rating for") == 10


def test_role_holdings_have_dates(officer, owned_action):
    holding = RoleHolding.objects.get(user=officer)
    assert Action.objects.held_by(officer, datetime.date(2018, 6, 1)).get() == owned_action
    holding.held_until = datetime.date(2018, 12, 31)
    holding.save()
    assert not Action.objects.held_by(officer, datetime.date(2019, 1, 1)).exists()
    assert not Action.objects.held_by(officer, datetime.date(2017, 12, 31)).exists()
