import datetime

import factory

from reviews.models import Area, Organisation, OrganisationKind, Review, ReviewKind


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area
        django_get_or_create = ["slug"]

    slug = "testshire"
    name = "Testshire local area"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    area = factory.SubFactory(AreaFactory)
    short_name = factory.Sequence(lambda n: f"ORG{n}")
    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = OrganisationKind.LOCAL_AUTHORITY


class ReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Review

    area = factory.SubFactory(AreaFactory)
    slug = factory.Sequence(lambda n: f"review-{n}")
    title = factory.Sequence(lambda n: f"Joint local area SEND inspection {n}")
    kind = ReviewKind.JOINT_INSPECTION
    bodies = "Ofsted and the Care Quality Commission (CQC)"
    start_date = datetime.date(2017, 9, 25)
    end_date = datetime.date(2017, 9, 29)
    outcome = "A written statement of action is required."
    source_document = "test"
