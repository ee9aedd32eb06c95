"""ReviewFactory: an inspection or review of the area (reviews.Review)."""

import datetime

import factory

from reviews.models import Review, ReviewKind

from .areas import AreaFactory


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
