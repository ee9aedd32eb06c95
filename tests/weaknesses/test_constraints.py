import pytest

from tests.database import refused
from tests.factories import FindingFactory, ReviewFactory, VerdictFactory
from weaknesses.models import FindingContinuation

pytestmark = pytest.mark.django_db


def test_a_finding_code_is_used_once_within_a_review():
    first = FindingFactory(code="A")
    refused(lambda: FindingFactory(review=first.review, code="A"))
    FindingFactory(review=ReviewFactory(), code="A")  # another review may have an A


def test_a_finding_kind_outside_the_list_is_refused():
    refused(lambda: FindingFactory(kind="minor_quibble"))


def test_a_approval_gives_one_verdict_per_finding():
    verdict = VerdictFactory()
    refused(lambda: VerdictFactory(review=verdict.review, finding=verdict.finding))


def test_a_verdict_judgement_outside_the_list_is_refused():
    refused(lambda: VerdictFactory(judgement="excellent"))


def test_a_finding_cannot_continue_itself():
    finding = FindingFactory()
    refused(
        lambda: FindingContinuation.objects.create(
            later_finding=finding, earlier_finding=finding, basis="x"
        )
    )
