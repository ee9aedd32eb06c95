"""VerdictFactory: a later review's judgement on a finding, sufficient progress by
default, given by a revisit (weaknesses.Verdict)."""

import factory

from weaknesses.models import Judgement, Verdict

from .findings import FindingFactory
from .reviews import ReviewFactory


class VerdictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Verdict

    review = factory.SubFactory(ReviewFactory, slug="revisit", kind="revisit")
    finding = factory.SubFactory(FindingFactory)
    judgement = Judgement.SUFFICIENT_PROGRESS
    summary = "The area has made sufficient progress."
    reasons = "Because."
    source = "test"
