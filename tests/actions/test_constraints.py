"""The database itself refuses bad ratings, numbering and owners, whatever writes them."""

import datetime

import pytest

from actions.models import ActionOwner, Rating, RatingSource, RequiredOutcome
from tests.database import refused
from tests.factories import (
    ActionFactory,
    FindingFactory,
    OwnerRoleFactory,
    RatingFactory,
    RequiredOutcomeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_a_rating_outside_the_key_is_refused():
    action, user = ActionFactory(), UserFactory()
    refused(
        lambda: Rating.objects.create(
            action=action, month=datetime.date(2018, 6, 1), rating="purple", recorded_by=user
        )
    )
    assert not Rating.objects.exists()


@pytest.mark.parametrize("colour", ["green", "amber", "red", "grey"])
def test_every_colour_of_the_key_is_accepted(colour):
    RatingFactory(rating=colour)
    assert Rating.objects.get().rating == colour


def test_a_second_rating_for_the_same_action_and_month_is_refused():
    first = RatingFactory(month=datetime.date(2018, 6, 1))
    refused(lambda: RatingFactory(action=first.action, month=datetime.date(2018, 6, 1)))
    assert Rating.objects.count() == 1


def test_the_same_action_can_be_rated_in_another_month():
    first = RatingFactory(month=datetime.date(2018, 6, 1))
    RatingFactory(action=first.action, month=datetime.date(2018, 7, 1))
    assert first.action.ratings.count() == 2


def test_a_rating_month_must_be_the_first_day_of_the_month():
    refused(lambda: RatingFactory(month=datetime.date(2018, 6, 15)))


def test_a_users_rating_must_name_the_user():
    refused(lambda: RatingFactory(source=RatingSource.USER, recorded_by=None))


def test_a_published_rating_names_no_user():
    refused(lambda: RatingFactory(source=RatingSource.PUBLISHED_DOCUMENT))
    RatingFactory(published=True)
    assert Rating.objects.get().recorded_by is None


def test_required_outcomes_are_numbered_once_within_their_weakness():
    first = RequiredOutcomeFactory(number=1)
    refused(
        lambda: RequiredOutcome.objects.create(
            plan=first.plan, weakness=first.weakness, number=1, title="again"
        )
    )
    RequiredOutcomeFactory(plan=first.plan, number=1)  # another weakness may have its own 1
    assert RequiredOutcome.objects.filter(number=1).count() == 2


def test_required_outcomes_are_numbered_from_one():
    refused(lambda: RequiredOutcomeFactory(number=0))


def test_actions_are_numbered_once_within_their_required_outcome():
    first = ActionFactory(number=1)
    refused(lambda: ActionFactory(required_outcome=first.required_outcome, number=1))


def test_a_role_owns_an_action_once_and_with_a_known_kind():
    action, role = ActionFactory(), OwnerRoleFactory()
    ActionOwner.objects.create(action=action, role=role)
    refused(lambda: ActionOwner.objects.create(action=action, role=role))
    refused(
        lambda: ActionOwner.objects.create(action=action, role=OwnerRoleFactory(), kind="deputy")
    )


@pytest.mark.parametrize(
    "finding_code, expected",
    [("A", "A1.2"), ("APA3", "APA3-1.2"), ("APA31", "APA31-1.2"), ("AFI4", "AFI4-1.2")],
)
def test_an_action_code_cannot_be_misread(finding_code, expected):
    """APA3's first outcome and APA31's are told apart: "APA3-1.2" against "APA31-1.2"."""
    action = ActionFactory.build(
        number=2,
        required_outcome=RequiredOutcomeFactory.build(
            number=1, weakness=FindingFactory.build(code=finding_code)
        ),
    )
    assert action.code == expected
