"""OrganisationFactory: a body in the area's partnership (reviews.Organisation)."""

import factory

from reviews.models import Organisation, OrganisationKind

from .areas import AreaFactory


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    area = factory.SubFactory(AreaFactory)
    short_name = factory.Sequence(lambda n: f"ORG{n}")
    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = OrganisationKind.LOCAL_AUTHORITY
