"""FindingFactory: a finding that requires action, a significant weakness by default
(weaknesses.Finding)."""

import factory

from weaknesses.models import Finding, FindingKind

from .reviews import ReviewFactory


class FindingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Finding

    review = factory.SubFactory(ReviewFactory)
    code = factory.Sequence(lambda n: f"W{n}")
    position = factory.Sequence(lambda n: n + 1)
    kind = FindingKind.SIGNIFICANT_WEAKNESS
    text = factory.Sequence(lambda n: f"the weakness number {n}")
    source = "test"
