"""RequiredOutcomeFactory: a required outcome of the plan for one weakness
(actions.RequiredOutcome)."""

import factory

from actions.models import RequiredOutcome

from .findings import FindingFactory
from .plans import PlanFactory


class RequiredOutcomeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RequiredOutcome

    plan = factory.SubFactory(PlanFactory)
    weakness = factory.SubFactory(FindingFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Required outcome {n}")
