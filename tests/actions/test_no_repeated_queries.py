"""The owner-role choices and the findings list take the same queries however many roles,
organisations and verdicts there are (no query per row)."""

from django.urls import reverse

from tests.factories import (
    ActionOwnerFactory,
    FindingFactory,
    OrganisationFactory,
    OwnerRoleFactory,
    VerdictFactory,
)
from tests.factories.reviews import ReviewFactory
from tests.helpers import assert_queries_do_not_grow


def owned_by_roles_of_their_own_organisations(action, label):
    def grow():
        for n in range(3):
            organisation = OrganisationFactory(short_name=f"Org {label}-{n}")
            role = OwnerRoleFactory(title=f"Role {label}-{n}", organisation=organisation)
            ActionOwnerFactory(action=action, role=role)

    return grow


def test_the_owner_role_choices_take_no_query_per_role(client, board_member, owned_action):
    client.force_login(board_member)
    for label, url in enumerate((reverse("actions:list"), reverse("actions:grid"))):
        grow = owned_by_roles_of_their_own_organisations(owned_action, label)
        page = assert_queries_do_not_grow(client, url, grow)
        assert f"Role {label}-2 (Org {label}-2)" in page.text


def test_the_findings_list_takes_no_query_per_verdict(client, board_member):
    client.force_login(board_member)
    finding = FindingFactory()
    VerdictFactory(finding=finding)

    def grow():
        for n in range(3):
            review = ReviewFactory(area=finding.review.area, slug=f"later-{n}", kind="revisit")
            VerdictFactory(finding=FindingFactory(review=finding.review), review=review)

    assert_queries_do_not_grow(client, reverse("findings:list"), grow)
