"""MeasureFigureFactory: a measure's actual figure for one period, 45 for June 2018
(actions.MeasureFigure)."""

import datetime

import factory

from actions.models import MeasureFigure

from .measures import MeasureFactory


class MeasureFigureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeasureFigure

    measure = factory.SubFactory(MeasureFactory)
    period_end = datetime.date(2018, 6, 30)
    label = "June 2018"
    value = 45
    source = "test"
