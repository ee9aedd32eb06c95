"""Every factory trait builds a row the database accepts, in the state its name says."""

import datetime

import pytest

from actions import roles
from actions.models import Action, ApprovalStatus, Rating, RatingSource
from actions.rules import flags
from tests.factories import ActionFactory, RatingFactory, RoleHoldingFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2018, 9, 14)


def test_a_submitted_rating_awaits_approval_with_no_approver():
    rating = RatingFactory(submitted=True)
    assert (rating.approval_status, rating.accepted_rating, rating.decided_by) == (
        ApprovalStatus.SUBMITTED,
        "",
        None,
    )
    assert rating.awaiting_approval and rating.shown() == ""


def test_a_returned_rating_has_its_reason_and_its_approver():
    rating = RatingFactory(returned=True)
    assert rating.approval_status == ApprovalStatus.RETURNED and rating.returned
    assert rating.return_reason and rating.decided_by and rating.decided_at
    assert rating.shown() == ""


def test_an_accepted_rating_is_shown_as_the_officer_rated_it():
    rating = RatingFactory(accepted=True, rating="red", commentary="Stalled")
    assert (rating.accepted_rating, rating.board_rating, rating.shown()) == ("red", "", "red")
    assert rating.decided_by and rating.decided_at


@pytest.mark.parametrize("colour", ["green", "amber", "red", "grey"])
def test_accepted_with_the_boards_own_rating_shows_the_boards(colour):
    rating = RatingFactory(accepted_with_board_rating=True, rating=colour)
    assert rating.accepted_rating == colour
    assert rating.board_rating not in ("", colour)
    assert rating.shown() == rating.board_rating


def test_a_published_rating_is_accepted_by_nobody_and_recorded_by_nobody():
    rating = RatingFactory(published=True, rating="green")
    assert (rating.source, rating.approval_status, rating.accepted_rating) == (
        RatingSource.PUBLISHED_DOCUMENT,
        ApprovalStatus.ACCEPTED,
        "green",
    )
    assert (rating.recorded_by, rating.decided_by, rating.decided_at) == (None, None, None)
    assert rating.month == datetime.date(2018, 3, 1) and rating.shown() == "green"


def test_every_rating_state_can_stand_side_by_side():
    for state in ("submitted", "returned", "accepted", "accepted_with_board_rating"):
        RatingFactory(**{state: True})
    RatingFactory(published=True)
    assert Rating.objects.count() == 5


@pytest.mark.parametrize("today", [TODAY, datetime.date(2018, 9, 30)])
def test_an_overdue_action_is_flagged_overdue_and_only_that(today):
    action = Action.objects.for_list().get(pk=ActionFactory(overdue=True).pk)
    assert flags.is_overdue(action, today) and not flags.is_stuck(action, today)
    assert list(Action.objects.overdue(today)) == [action]
    assert action.due_date < today and flags.latest_update(action).rating != "green"


def test_a_stuck_action_is_flagged_stuck_and_only_that():
    action = Action.objects.for_list().get(pk=ActionFactory(stuck=True).pk)
    assert flags.is_stuck(action, TODAY) and not flags.is_overdue(action, TODAY)
    assert [r.month.month for r in action.ratings.all()] == [6, 7, 8]
    assert {r.rating for r in action.ratings.all()} == {"amber"}


def test_a_plain_action_raises_neither_flag():
    action = ActionFactory()
    assert not flags.is_overdue(action, TODAY) and not flags.is_stuck(action, TODAY)


@pytest.mark.parametrize(
    "trait, group",
    [
        ("officer", roles.OFFICER),
        ("board_member", roles.BOARD_MEMBER),
        ("administrator", roles.ADMINISTRATOR),
        ("chair", roles.BOARD_MEMBER),
    ],
)
def test_users_by_role(trait, group):
    user = UserFactory(**{trait: True})
    assert list(user.groups.values_list("name", flat=True)) == [group]
    assert user.is_staff == (trait == "administrator")
    chair = list(user.approver_roles.values_list("finding", flat=True))
    assert chair == ([None] if trait == "chair" else [])


def test_a_user_with_no_trait_has_no_role():
    assert not UserFactory().groups.exists()


def test_a_role_holding_is_held_now_by_an_officer():
    holding = RoleHoldingFactory()
    assert holding.user.groups.get().name == roles.OFFICER
    assert list(holding.user.role_holdings.current()) == [holding]


def test_roles_combine():
    user = UserFactory(administrator=True, chair=True)
    assert set(user.groups.values_list("name", flat=True)) == {
        roles.ADMINISTRATOR,
        roles.BOARD_MEMBER,
    }
    assert user.is_staff and user.approver_roles.get().finding is None
