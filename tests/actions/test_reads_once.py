"""The grid and the actions list read each rating once, as plain rows: the same queries
however many ratings, actions and states there are, and the same words as the rules
they stand in for (quarters, approval states)."""

import datetime

from django.urls import reverse

from actions.models import ApprovalStatus
from actions.rules import flags
from actions.rules.periods import last_day_of_month, quarter_end
from tests.factories import ActionFactory, RatingFactory
from tests.helpers import assert_queries_do_not_grow, fetched_with_queries


def test_a_quarter_ends_on_the_last_day_of_its_third_month():
    for year in (2016, 2020, 2023, 2100):
        for month in range(1, 13):
            day = datetime.date(year, month, 15)
            third = (month - 1) // 3 * 3 + 3
            assert quarter_end(day) == last_day_of_month(year, third)


def test_the_flags_name_the_approval_states_as_the_ratings_do():
    assert flags.SUBMITTED == ApprovalStatus.SUBMITTED
    assert flags.RETURNED == ApprovalStatus.RETURNED


def more_ratings_in_every_state(action):
    def grow():
        for month, trait in ((7, "accepted"), (8, "returned"), (9, "submitted")):
            RatingFactory(action=action, month=datetime.date(2018, month, 1), **{trait: True})
        other = ActionFactory(required_outcome=action.required_outcome, number=99)
        RatingFactory(action=other, month=datetime.date(2018, 6, 1), submitted=True)

    return grow


def test_the_actions_list_takes_no_query_per_rating_or_action(client, board_member, owned_action):
    client.force_login(board_member)
    RatingFactory(action=owned_action, month=datetime.date(2018, 6, 1))
    page = assert_queries_do_not_grow(
        client, reverse("actions:list"), more_ratings_in_every_state(owned_action)
    )
    assert f"{owned_action.required_outcome.code}.99" in page.text
    # The latest update of the owned action is awaiting approval.
    assert "Awaiting approval" in page.text


def test_the_grid_takes_no_query_per_rating_or_action(client, board_member, owned_action):
    client.force_login(board_member)
    RatingFactory(action=owned_action, month=datetime.date(2018, 6, 1))
    page = assert_queries_do_not_grow(
        client, reverse("actions:grid"), more_ratings_in_every_state(owned_action)
    )
    assert "Awaiting approval: Amber" in page.text


def test_an_officer_is_offered_the_correction_of_a_returned_update(client, officer, owned_action):
    RatingFactory(action=owned_action, month=datetime.date(2018, 6, 1), returned=True)
    client.force_login(officer)
    page = client.get(reverse("actions:list"))
    correct = reverse("actions:rating-correct", args=[owned_action.pk, 2018, 6])
    assert page.text.count(f'href="{correct}"') == 2  # the banner's link and the row's


def test_the_actions_list_reads_no_owners_it_does_not_show(client, board_member, owned_action):
    """The list shows each action's rating, update and flags, not its owners: the only
    owners it reads are the owner roles offered by its filter."""
    client.force_login(board_member)
    response, queries = fetched_with_queries(client, reverse("actions:list"))
    assert owned_action.code in response.text
    reading_owners = [sql for sql in queries if 'FROM "actions_actionowner"' in sql]
    assert reading_owners == [], reading_owners
