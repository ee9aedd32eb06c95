"""RatingFactory: an action's rating for one month (actions.Rating). By default an
officer's Amber for June 2018 that an approver accepted as it stands; traits for the other
states of the review: submitted, returned, accepted, accepted_with_board_rating, published."""

import datetime

import factory
from django.utils import timezone

from actions.models import ApprovalStatus, Rating, RatingColour, RatingSource

from .users import UserFactory


def another_colour(rating):
    """A colour other than the officer's, for the board's own rating."""
    return RatingColour.RED if rating.rating != RatingColour.RED else RatingColour.AMBER


class RatingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Rating

    action = factory.SubFactory("tests.factories.actions.ActionFactory")
    month = datetime.date(2018, 6, 1)
    rating = RatingColour.AMBER
    source = RatingSource.USER
    recorded_by = factory.SubFactory(UserFactory)
    approval_status = ApprovalStatus.ACCEPTED
    accepted_rating = factory.SelfAttribute("rating")
    decided_by = factory.SubFactory(UserFactory, username="factory-approver")
    decided_at = factory.LazyFunction(timezone.now)

    class Params:
        # An officer's update awaiting approval: no approver, nothing accepted yet.
        submitted = factory.Trait(
            approval_status=ApprovalStatus.SUBMITTED,
            accepted_rating="",
            decided_by=None,
            decided_at=None,
        )
        # Sent back by an approver, with the reason (rating_returned_has_a_reason).
        returned = factory.Trait(
            approval_status=ApprovalStatus.RETURNED,
            accepted_rating="",
            return_reason="The evidence does not show the work embedding",
        )
        # Accepted as the officer rated it (the default, named where it matters).
        accepted = factory.Trait(
            approval_status=ApprovalStatus.ACCEPTED,
            accepted_rating=factory.SelfAttribute("rating"),
        )
        # Accepted, and the board rates it otherwise (rating_board_rating_valid).
        accepted_with_board_rating = factory.Trait(
            accepted=True,
            board_rating=factory.LazyAttribute(another_colour),
            board_note="The board reads the evidence otherwise",
        )
        # Printed in the published WSOA: accepted, by no user and no approver
        # (rating_source_matches_recorder, rating_review_matches_source).
        published = factory.Trait(
            source=RatingSource.PUBLISHED_DOCUMENT,
            source_reference="The published WSOA, March 2018",
            recorded_by=None,
            month=datetime.date(2018, 3, 1),
            accepted=True,
            decided_by=None,
            decided_at=None,
        )

    @classmethod
    def _create(cls, model_class, *args, history_date=None, **kwargs):
        """`history_date=` dates the first history entry (history rows are never updated)."""
        rating = model_class(*args, **kwargs)
        if history_date:
            rating._history_date = history_date
        rating.save()
        return rating
