"""The admin screens answer administrators and refuse officers and board members."""

from io import StringIO

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse

from actions import roles
from actions.models import Approver, AreaMember, Notification, OwnerRole, PublicSummary, RoleHolding
from reviews.models import Area
from tests.database import count_queries
from tests.factories import (
    ActionOwnerFactory,
    ApiTokenFactory,
    ApproverFactory,
    PublicSummaryFactory,
    RatingFactory,
    UserFactory,
)
from weaknesses.models import Finding

RECORD_MODELS = [
    model
    for model in admin.site._registry
    if model._meta.app_label in {"reviews", "weaknesses", "actions"}
]


# Summaries are published by approvers from the finding's page only; approvers are named
# by a superuser only (administrators read the list); the notifications' outbox is written
# only by the events it tells of.
READ_ONLY = {PublicSummary, Approver, Notification}


def admin_urls(model):
    meta = model._meta
    first = model.objects.order_by("pk").first()
    yield reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
    if model not in READ_ONLY:
        yield reverse(f"admin:{meta.app_label}_{meta.model_name}_add")
    yield reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[first.pk])
    yield reverse(f"admin:{meta.app_label}_{meta.model_name}_history", args=[first.pk])


class AdminScreensTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_record", stdout=StringIO())
        cls.administrator = UserFactory(username="administrator", role=roles.ADMINISTRATOR)
        cls.officer = UserFactory(username="officer", role=roles.OFFICER)
        cls.board_member = UserFactory(username="board", role=roles.BOARD_MEMBER)
        RoleHolding.objects.create(
            user=cls.officer, role=OwnerRole.objects.get(title="SEN Manager")
        )
        chair = UserFactory(username="chair", role=roles.BOARD_MEMBER)
        ApproverFactory(user=chair)
        PublicSummaryFactory(finding=Finding.objects.get(code="B"), published_by=chair)
        ApiTokenFactory(user=cls.board_member, issued_by=cls.administrator)
        Notification.objects.create(
            user=chair,
            kind="update_submitted",
            subject="An update awaits your approval",
            body="Approve it",
            link="http://127.0.0.1:8000/actions/",
            key="admin-test",
        )
        AreaMember.objects.create(user=cls.board_member, area=Area.objects.get())

    def test_every_record_model_is_kept_in_the_admin(self):
        names = {model._meta.model_name for model in RECORD_MODELS}
        assert {
            "area",
            "organisation",
            "review",
            "finding",
            "verdict",
            "plan",
            "requiredoutcome",
            "action",
            "ownerrole",
            "rating",
            "approver",
            "publicsummary",
        } <= names

    def test_administrators_open_every_list_add_change_and_history_page(self):
        self.client.force_login(self.administrator)
        for model in RECORD_MODELS:
            for url in admin_urls(model):
                with self.subTest(url=url):
                    assert self.client.get(url).status_code == 200

    def test_public_summaries_cannot_be_added_or_changed_in_the_admin(self):
        self.client.force_login(self.administrator)
        summary = PublicSummary.objects.get()
        assert self.client.get(reverse("admin:actions_publicsummary_add")).status_code == 403
        url = reverse("admin:actions_publicsummary_change", args=[summary.pk])
        response = self.client.post(url, {"plain_english": "Changed"})
        assert response.status_code == 403
        summary.refresh_from_db()
        assert summary.plain_english != "Changed"

    def test_officers_and_board_members_are_refused(self):
        for user in (self.officer, self.board_member):
            self.client.force_login(user)
            for model in RECORD_MODELS:
                for url in admin_urls(model):
                    with self.subTest(user=user.username, url=url):
                        response = self.client.get(url)
                        assert response.status_code == 302
                        assert response["Location"].startswith(reverse("admin:login"))

    def test_the_actions_list_is_searchable_and_ordered_by_letter_and_number(self):
        self.client.force_login(self.administrator)
        url = reverse("admin:actions_action_changelist")
        codes = [action.code for action in self.client.get(url).context["cl"].result_list]
        assert codes[0] == "A1.1"
        assert codes == sorted(codes, key=lambda code: (code[0], *map(int, code[1:].split("."))))
        found = self.client.get(url, {"q": "terms of reference"}).context["cl"].result_list
        assert any("terms of reference" in action.text for action in found)


@pytest.mark.django_db
def test_the_admin_action_and_rating_lists_do_not_grow_their_queries_with_their_rows(
    client, django_assert_num_queries
):
    client.force_login(UserFactory(username="administrator", role=roles.ADMINISTRATOR))
    urls = [reverse("admin:actions_action_changelist"), reverse("admin:actions_rating_changelist")]
    for _ in range(3):
        ActionOwnerFactory(action=RatingFactory().action)
    few = [count_queries(client, url) for url in urls]
    for _ in range(30):
        ActionOwnerFactory(action=RatingFactory().action)
    for url, expected in zip(urls, few, strict=True):
        with django_assert_num_queries(expected):
            client.get(url)


@pytest.mark.django_db
def test_a_rating_added_in_the_admin_records_the_administrator_who_added_it(client):
    administrator = UserFactory(username="administrator", role=roles.ADMINISTRATOR)
    client.force_login(administrator)
    action = ActionOwnerFactory().action
    response = client.post(
        reverse("admin:actions_rating_add"),
        {"action": action.pk, "month": "2018-06-01", "rating": "amber", "commentary": "Zoë's"},
    )
    assert response.status_code == 302
    rating = action.ratings.get()
    assert (rating.recorded_by, rating.source, rating.commentary) == (
        administrator,
        "user",
        "Zoë's",
    )
    assert rating.history.get().history_user == administrator


@pytest.mark.django_db
def test_a_second_rating_for_the_same_month_is_refused_in_the_admin_with_a_message(client):
    client.force_login(UserFactory(username="administrator", role=roles.ADMINISTRATOR))
    rating = RatingFactory()
    response = client.post(
        reverse("admin:actions_rating_add"),
        {"action": rating.action.pk, "month": rating.month.isoformat(), "rating": "red"},
    )
    assert response.status_code == 200
    assert "This action already has a rating for that month." in response.content.decode()
    assert rating.action.ratings.count() == 1


@pytest.mark.django_db
def test_a_rating_month_that_is_not_the_first_day_is_refused_with_a_message(client):
    client.force_login(UserFactory(username="administrator", role=roles.ADMINISTRATOR))
    action = ActionOwnerFactory().action
    response = client.post(
        reverse("admin:actions_rating_add"),
        {"action": action.pk, "month": "2018-06-15", "rating": "red"},
    )
    assert response.status_code == 200
    assert "Enter the first day of the month rated" in response.content.decode()
    assert not action.ratings.exists()


def test_no_history_table_can_be_edited_in_the_admin():
    historical = [
        model for model in admin.site._registry if model.__name__.startswith("Historical")
    ]
    assert historical == []


@pytest.mark.django_db
def test_only_a_superuser_names_approvers(client):
    """An administrator who could name themselves (or a board member they made) an approver
    would decide on updates: approvers are named by a superuser only (separation of duties)."""
    administrator = UserFactory(username="admin-x", administrator=True)
    member = UserFactory(username="member-x", board_member=True)
    client.force_login(administrator)
    add = reverse("admin:actions_approver_add")
    assert client.get(add).status_code == 403
    assert client.post(add, {"user": member.pk, "finding": ""}).status_code == 403
    assert not Approver.objects.exists()
    superuser = UserFactory(username="root-x", is_superuser=True, is_staff=True)
    client.force_login(superuser)
    assert client.post(add, {"user": member.pk, "finding": ""}).status_code == 302
    assert Approver.objects.get().user == member
