"""MeasureTargetFactory: a measure's target for one period, 50 for June 2018
(actions.MeasureTarget)."""

import datetime

import factory

from actions.models import MeasureTarget

from .measures import MeasureFactory


class MeasureTargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeasureTarget

    measure = factory.SubFactory(MeasureFactory)
    period_end = datetime.date(2018, 6, 30)
    label = "June 2018"
    value = 50
    source = "test"
