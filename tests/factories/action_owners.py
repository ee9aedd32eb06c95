"""ActionOwnerFactory: an owner role named against an action (actions.ActionOwner)."""

import factory

from actions.models import ActionOwner

from .owner_roles import OwnerRoleFactory


class ActionOwnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionOwner

    action = factory.SubFactory("tests.factories.actions.ActionFactory")
    role = factory.SubFactory(OwnerRoleFactory)
