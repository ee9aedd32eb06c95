import factory

from tests.reviews.factories import ReviewFactory
from weaknesses.models import Finding, FindingKind, Judgement, Verdict


class FindingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Finding

    review = factory.SubFactory(ReviewFactory)
    code = factory.Sequence(lambda n: f"W{n}")
    position = factory.Sequence(lambda n: n + 1)
    kind = FindingKind.SIGNIFICANT_WEAKNESS
    text = factory.Sequence(lambda n: f"the weakness number {n}")
    source = "test"


class VerdictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Verdict

    review = factory.SubFactory(ReviewFactory, slug="revisit", kind="revisit")
    finding = factory.SubFactory(FindingFactory)
    judgement = Judgement.SUFFICIENT_PROGRESS
    summary = "The area has made sufficient progress."
    reasons = "Because."
    source = "test"
