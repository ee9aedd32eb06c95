"""ActionFactory: an action of a required outcome (actions.Action), with the traits
overdue (its due date has passed and its latest update is not Green) and stuck (the same
rating, not Green, three months running)."""

import datetime

import factory

from actions.models import Action, RatingColour

from .ratings import RatingFactory
from .required_outcomes import RequiredOutcomeFactory


def amber_in(month):
    """An accepted Amber update for `month` of 2018, as a related rating of the action."""
    return factory.RelatedFactory(
        RatingFactory,
        factory_related_name="action",
        month=datetime.date(2018, month, 1),
        rating=RatingColour.AMBER,
        commentary="Still drafting",
    )


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action
        skip_postgeneration_save = True

    required_outcome = factory.SubFactory(RequiredOutcomeFactory)
    number = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(lambda n: f"Do the thing number {n}")
    timescale = "Monthly"

    class Params:
        # Due at the end of June 2018, and Amber in August: past its date and not Green (and
        # not stuck in September 2018: August and September are two months).
        overdue = factory.Trait(
            timescale="June 2018",
            due_date=datetime.date(2018, 6, 30),
            update_after_due_date=amber_in(8),
        )
        # Amber in June, July and August 2018 (flags.STUCK_MONTHS).
        stuck = factory.Trait(
            stuck_in_june=amber_in(6),
            stuck_in_july=amber_in(7),
            stuck_in_august=amber_in(8),
        )
