"""PublicSummaryFactory: text an approver published for families about a finding
(actions.PublicSummary)."""

import factory

from actions.models import PublicSummary

from .findings import FindingFactory
from .users import UserFactory


class PublicSummaryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PublicSummary

    finding = factory.SubFactory(FindingFactory)
    plain_english = "Plans for children were not written well enough."
    being_done = "Every plan is now checked by a senior officer."
    you_said_we_did = "You said plans were late; we now finish most within 20 weeks."
    published_by = factory.SubFactory(UserFactory, board_member=True)
