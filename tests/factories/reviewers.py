"""ReviewerFactory: a board member who reviews officers' updates; the chair (every
weakness) by default, or pass `finding` for one weakness's reviewer (actions.Reviewer)."""

import factory

from actions.models import Reviewer

from .users import UserFactory


class ReviewerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Reviewer

    user = factory.SubFactory(UserFactory, board_member=True)
    finding = None
