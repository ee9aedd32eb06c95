"""The audit trail: every change kept with who, when, before and after and why, and a
history that nobody (no code path, no admin screen, no raw SQL) can rewrite or remove."""

import datetime
from io import StringIO

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.db.models import F, ProtectedError
from django.urls import reverse

from actions.models import Action, ActionOwner, MeasureFigure, Rating
from actions.services import rating_correct
from tests.factories import UserFactory
from weaknesses.models import Finding, Verdict
from wsoa_tracker import history_guard
from wsoa_tracker.statements import StatementDetails

REFUSED = "History is append-only"


def history_models():
    """Every append-only table: history, the memberships kept with accounts' history, and
    the audit seals."""
    return history_guard.append_only_models(apps)


@pytest.fixture
def the_record(db, june_rating):
    """The real record, plus a role holding, an officer's rating, an approver, an area
    member, a published summary, the statements' details and a role from an identity
    provider (so every history table has rows)."""
    from allauth.socialaccount.models import SocialApp

    from actions.models import AreaMember
    from reviews.models import Area
    from tests.factories import ApproverFactory, PublicSummaryFactory, UserFactory
    from wsoa_tracker.models import IdentityProviderRole

    call_command("load_record", stdout=StringIO())
    ApproverFactory()
    AreaMember.objects.create(user=UserFactory(username="member"), area=Area.objects.first())
    PublicSummaryFactory()
    StatementDetails().save()  # the statements' details, kept by administrators
    council = SocialApp.objects.create(provider="openid_connect", provider_id="c", name="C")
    IdentityProviderRole.objects.create(provider=council, claim_value="g", role="officer")


def test_there_are_history_tables_for_every_audited_record():
    audited = {model.history.model for model in (Action, ActionOwner, Rating, MeasureFigure)}
    audited |= {model.history.model for model in (Finding, Verdict)}
    assert audited <= set(history_models())


def attempts(model):
    table = connection.ops.quote_name(model._meta.db_table)
    key = connection.ops.quote_name(model._meta.pk.column)

    def raw(sql):
        with connection.cursor() as cursor:
            cursor.execute(sql)

    row = model.objects.first()
    return {
        "ORM update": lambda: model.objects.update(**{model._meta.pk.name: F("pk")}),
        "ORM delete": lambda: model.objects.all().delete(),
        "save over a row": lambda: row.save(),
        "SQL UPDATE": lambda: raw(f"UPDATE {table} SET {key} = {key}"),
        "SQL DELETE": lambda: raw(f"DELETE FROM {table}"),
    } | (
        {
            # Row triggers never see a TRUNCATE; a statement trigger does. (The foreign
            # key checks the test's open transaction has pending would refuse it first.)
            "SQL TRUNCATE": lambda: raw(f"SET CONSTRAINTS ALL IMMEDIATE; TRUNCATE {table}"),
            # ENABLE ALWAYS triggers fire even for a replica session (pg_restore, or a
            # superuser turning triggers off).
            "UPDATE as a replica": lambda: raw(
                f"SET LOCAL session_replication_role = replica; UPDATE {table} SET {key} = {key}"
            ),
        }
        if connection.vendor == "postgresql"
        else {}
    )


def test_every_history_table_refuses_update_and_delete(the_record, subtests):
    for model in history_models():
        rows = list(model.objects.order_by("pk").values())
        assert rows, f"{model.__name__} has no rows to try"
        for name, attempt in attempts(model).items():
            with subtests.test(table=model._meta.db_table, attempt=name):
                with pytest.raises(DatabaseError, match=REFUSED), transaction.atomic():
                    attempt()
        assert list(model.objects.order_by("pk").values()) == rows


def test_new_history_rows_are_still_written(the_record, officer, june_rating):
    before = june_rating.history.count()
    rating_correct(
        original=june_rating,
        user=officer,
        expected_version=june_rating.version,
        reason="Board asked for the latest figure",
        rating="red",
        commentary="Stalled",
        evidence="",
        evidence_links="",
    )
    assert june_rating.history.count() == before + 1


def test_a_change_is_recorded_with_who_when_before_after_and_why(client, officer, june_rating):
    client.force_login(officer)
    url = reverse("actions:rating-correct", args=[june_rating.action.pk, 2018, 6])
    client.post(
        url,
        {
            "rating": "red",
            "commentary": "Stalled: no staff",
            "evidence": "",
            "reason": "Wrong month's figure",
            "version": june_rating.version,
        },
    )
    latest, earlier = june_rating.history.order_by("-history_id")[:2]
    assert latest.history_user == officer
    assert latest.history_change_reason == "Wrong month's figure"
    assert latest.history_date.date() == datetime.date.today()
    changes = {c.field: (c.old, c.new) for c in latest.diff_against(earlier).changes}
    assert changes["rating"] == ("amber", "red")
    assert changes["commentary"] == ("Guidance drafted", "Stalled: no staff")


def test_no_history_table_is_an_admin_screen():
    assert not [model for model in admin.site._registry if history_guard.is_history(model)]


def test_the_admin_shows_history_without_a_revert_button(client, administrator, june_rating):
    client.force_login(administrator)
    history = client.get(reverse("admin:actions_rating_history", args=[june_rating.pk]))
    assert history.status_code == 200
    version = june_rating.history.first().history_id
    page = client.get(
        reverse("admin:actions_rating_simple_history", args=[june_rating.pk, version])
    )
    assert "Revert" not in page.text


# People in the record are deactivated, never deleted.


def test_someone_named_in_the_history_cannot_be_deleted(db):
    from tests.factories import FindingFactory

    editor = UserFactory(username="editor")
    finding = FindingFactory()
    finding.text = "Corrected"
    finding._history_user = editor
    finding.save()
    with pytest.raises(ProtectedError, match="deactivated but not deleted"), transaction.atomic():
        editor.delete()
    assert get_user_model().objects.filter(username="editor").exists()


def test_an_officer_who_recorded_a_rating_cannot_be_deleted(officer, june_rating):
    with pytest.raises(ProtectedError), transaction.atomic():
        officer.delete()


@pytest.fixture
def superuser(db):
    return UserFactory(username="root-admin", is_superuser=True, is_staff=True)


def test_the_admin_offers_deactivation_not_deletion(client, superuser, officer, june_rating):
    client.force_login(superuser)
    change = client.get(reverse("admin:auth_user_change", args=[officer.pk]))
    assert "deactivated but not deleted" in change.text
    assert reverse("admin:auth_user_delete", args=[officer.pk]) not in change.text
    delete = client.post(reverse("admin:auth_user_delete", args=[officer.pk]), {"post": "yes"})
    assert delete.status_code == 403
    changelist = reverse("admin:auth_user_changelist")
    assert "delete_selected" not in client.get(changelist).text
    client.post(
        changelist,
        {"action": "deactivate", "_selected_action": [officer.pk], "reason": "Left the council"},
    )
    officer.refresh_from_db()
    assert officer.is_active is False
    assert Rating.objects.filter(recorded_by=officer).exists()


def test_an_account_that_never_did_anything_can_still_be_deleted(client, superuser):
    mistaken = UserFactory(username="typo")
    client.force_login(superuser)
    response = client.post(reverse("admin:auth_user_delete", args=[mistaken.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not get_user_model().objects.filter(username="typo").exists()


def test_administrators_cannot_delete_accounts_at_all(client, administrator):
    mistaken = UserFactory(username="typo")
    client.force_login(administrator)
    response = client.post(reverse("admin:auth_user_delete", args=[mistaken.pk]), {"post": "yes"})
    assert response.status_code == 403
