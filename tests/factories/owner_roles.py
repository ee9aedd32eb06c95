"""OwnerRoleFactory: a job role that owns actions, such as "SEN Manager"
(actions.OwnerRole)."""

import factory

from actions.models import OwnerRole

from .areas import AreaFactory


class OwnerRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OwnerRole

    area = factory.SubFactory(AreaFactory)
    title = factory.Sequence(lambda n: f"SEN Manager {n}")
