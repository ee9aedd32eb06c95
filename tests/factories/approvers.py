"""ApproverFactory: a board member who reviews officers' updates; the chair (every
weakness) by default, or pass `finding` for one weakness's approver (actions.Approver)."""

import factory

from actions.models import Approver

from .users import UserFactory


class ApproverFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Approver

    user = factory.SubFactory(UserFactory, board_member=True)
    finding = None
