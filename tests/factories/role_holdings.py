"""RoleHoldingFactory: an officer holding an owner role, from 1 January 2018 and still
(actions.RoleHolding)."""

import datetime

import factory

from actions.models import RoleHolding

from .owner_roles import OwnerRoleFactory
from .users import UserFactory


class RoleHoldingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleHolding

    user = factory.SubFactory(UserFactory, officer=True)
    role = factory.SubFactory(OwnerRoleFactory)
    held_from = datetime.date(2018, 1, 1)
    held_until = None
