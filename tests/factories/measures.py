"""MeasureFactory: a measure of success that carries numbers, a percentage where higher
is better (actions.Measure)."""

import factory

from actions.models import Better, Measure, MeasureUnit

from .plans import PlanFactory


class MeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measure

    plan = factory.SubFactory(PlanFactory)
    slug = factory.Sequence(lambda n: f"measure-{n}")
    name = "% of new EHC plans completed within 20 weeks"
    unit = MeasureUnit.PERCENT
    better = Better.HIGHER
