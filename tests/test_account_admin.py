"""Accounts in the admin: administrators manage them without being able to grant themselves
more than they hold, set anyone's password, or act unseen (issue 12, item 2).

The rule: administrators give and take away the officer and board member roles; only a
superuser gives or takes away the Administrator role, staff or superuser status and
individual permissions, and only a superuser may set a password. Every account change is
in the account's history with who made it and why.
"""

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.urls import reverse

from actions import roles
from tests.factories import UserFactory

User = get_user_model()


@pytest.fixture
def superuser(db):
    return UserFactory(username="root-admin", is_superuser=True, is_staff=True)


@pytest.fixture
def as_administrator(client, administrator):
    client.force_login(administrator)
    return client


def change_url(user):
    return reverse("admin:auth_user_change", args=[user.pk])


def change_data(user, **changes):
    """What the account's change page posts, including fields that only a superuser may
    set (a browser's developer tools can add any field to a form)."""
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on" if user.is_active else "",
        # What the page offers an administrator: the Administrator role is not among them.
        "groups": [group.pk for group in user.groups.exclude(name=roles.ADMINISTRATOR)],
        "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
        "initial-date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "initial-date_joined_1": user.date_joined.strftime("%H:%M:%S"),
        "reason": "Changed name after marriage",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def group(name):
    return Group.objects.get(name=name)


def test_ticking_superuser_staff_or_permissions_has_no_effect(as_administrator, administrator):
    officer = UserFactory(username="officer-b", role=roles.OFFICER, first_name="Bea")
    permission = Permission.objects.get(codename="delete_user")
    for user in (administrator, officer):
        response = as_administrator.post(
            change_url(user),
            change_data(
                user,
                first_name="Changed",
                is_superuser="on",
                is_staff="on",
                user_permissions=[permission.pk],
            ),
        )
        assert response.status_code == 302, response.content[:2000]
        user.refresh_from_db()
        assert user.first_name == "Changed"  # the harmless change is saved ...
        assert user.is_superuser is False  # ... the grants are not
        assert not user.user_permissions.exists()
    officer.refresh_from_db()
    assert officer.is_staff is False
    administrator.refresh_from_db()
    assert not administrator.has_perm("auth.delete_user")


def test_the_change_page_shows_no_superuser_or_permission_fields_to_administrators(
    as_administrator, officer
):
    page = as_administrator.get(change_url(officer)).text
    assert 'name="is_superuser"' not in page
    assert 'name="is_staff"' not in page
    assert 'name="user_permissions"' not in page
    assert reverse("admin:auth_user_password_change", args=[officer.pk]) not in page


def test_the_password_change_page_is_refused_to_administrators(as_administrator, officer):
    url = reverse("admin:auth_user_password_change", args=[officer.pk])
    before = User.objects.get(pk=officer.pk).password
    assert as_administrator.get(url).status_code == 403
    new = "a new passphrase chosen by the administrator"
    response = as_administrator.post(url, {"password1": new, "password2": new})
    assert response.status_code == 403
    assert User.objects.get(pk=officer.pk).password == before


def test_a_superuser_may_still_set_a_password(client, superuser, officer):
    client.force_login(superuser)
    url = reverse("admin:auth_user_password_change", args=[officer.pk])
    assert client.get(url).status_code == 200


def test_an_administrator_cannot_give_the_administrator_role(as_administrator, officer):
    before = set(officer.groups.values_list("name", flat=True))
    response = as_administrator.post(
        change_url(officer),
        change_data(officer, groups=[group(roles.OFFICER).pk, group(roles.ADMINISTRATOR).pk]),
    )
    assert response.status_code == 200
    assert "only a superuser gives the Administrator role" in response.text
    assert set(officer.groups.values_list("name", flat=True)) == before


def test_an_administrator_cannot_add_themselves_to_a_group_outside_the_roles(
    as_administrator, administrator
):
    other = Group.objects.create(name="Everything")
    other.permissions.set(Permission.objects.all())
    response = as_administrator.post(
        change_url(administrator),
        change_data(administrator, groups=[group(roles.ADMINISTRATOR).pk, other.pk]),
    )
    assert response.status_code == 200
    assert not administrator.groups.filter(name="Everything").exists()


def test_an_administrator_gives_the_officer_and_board_member_roles(as_administrator, db):
    newcomer = UserFactory(username="newcomer")
    response = as_administrator.post(
        change_url(newcomer),
        change_data(newcomer, groups=[group(roles.OFFICER).pk, group(roles.BOARD_MEMBER).pk]),
    )
    assert response.status_code == 302
    assert set(newcomer.groups.values_list("name", flat=True)) == {
        roles.OFFICER,
        roles.BOARD_MEMBER,
    }


def test_editing_another_administrator_keeps_their_administrator_role(as_administrator, db):
    colleague = UserFactory(username="colleague", role=roles.ADMINISTRATOR)
    response = as_administrator.post(
        change_url(colleague), change_data(colleague, first_name="Col", groups=[])
    )
    assert response.status_code == 302
    assert colleague.groups.filter(name=roles.ADMINISTRATOR).exists()


def test_a_superuser_gives_the_administrator_role(client, superuser, officer):
    client.force_login(superuser)
    response = client.post(
        change_url(officer),
        change_data(officer, groups=[group(roles.ADMINISTRATOR).pk], is_staff="on"),
    )
    assert response.status_code == 302
    officer.refresh_from_db()
    assert officer.is_staff
    assert officer.groups.filter(name=roles.ADMINISTRATOR).exists()


def test_administrators_cannot_change_a_superuser(as_administrator, superuser):
    response = as_administrator.post(
        change_url(superuser), change_data(superuser, email="mine@example.org")
    )
    assert response.status_code == 403
    superuser.refresh_from_db()
    assert superuser.email != "mine@example.org"


def test_an_administrator_cannot_redirect_a_signed_in_users_email(as_administrator, approver):
    """Changing the chair's email, then sending a reset link, would take over the account."""
    User.objects.filter(pk=approver.pk).update(last_login="2018-06-01T09:00:00Z")
    approver.refresh_from_db()
    response = as_administrator.post(
        change_url(approver), change_data(approver, email="administrator@example.org")
    )
    assert response.status_code == 302
    approver.refresh_from_db()
    assert approver.email == "chair@example.org"


def test_a_change_needs_a_reason(as_administrator, officer):
    response = as_administrator.post(
        change_url(officer), change_data(officer, first_name="Changed", reason="")
    )
    assert response.status_code == 200
    assert "Enter the reason for the change" in response.text
    officer.refresh_from_db()
    assert officer.first_name == "Ann"


# Nothing unseen: every account change is in the account's history, with who and why.


def test_renaming_a_user_keeps_the_old_name_in_their_history(
    as_administrator, administrator, officer
):
    response = as_administrator.post(change_url(officer), change_data(officer, last_name="Smith"))
    assert response.status_code == 302
    latest, earlier = officer.history.order_by("-history_id")[:2]
    assert (earlier.first_name, earlier.last_name) == ("Ann", "O'Neill")
    assert latest.last_name == "Smith"
    assert latest.history_user == administrator
    assert latest.history_change_reason == "Changed name after marriage"
    assert not hasattr(latest, "password")  # no password hashes kept forever


def test_role_changes_are_in_the_history_with_who_and_why(as_administrator, administrator, officer):
    as_administrator.post(
        change_url(officer),
        change_data(officer, groups=[group(roles.BOARD_MEMBER).pk], reason="Left the team"),
    )
    latest = officer.history.order_by("-history_id").first()
    assert [row.group.name for row in latest.groups.all()] == [roles.BOARD_MEMBER]
    assert (latest.history_user, latest.history_change_reason) == (
        administrator,
        "Left the team",
    )
    before = officer.history.exclude(history_change_reason="Left the team").first()
    assert [row.group.name for row in before.groups.all()] == [roles.OFFICER]


def test_deactivating_in_bulk_writes_history_for_each_account(as_administrator, administrator, db):
    leavers = [UserFactory(username=f"leaver-{n}", role=roles.OFFICER) for n in range(3)]
    response = as_administrator.post(
        reverse("admin:auth_user_changelist"),
        {
            "action": "deactivate",
            "_selected_action": [user.pk for user in leavers],
            "reason": "Left the council",
        },
    )
    assert response.status_code == 302
    for user in leavers:
        user.refresh_from_db()
        assert user.is_active is False
        latest = user.history.order_by("-history_id").first()
        assert latest.is_active is False
        assert latest.history_user == administrator
        assert latest.history_change_reason == "Deactivated: Left the council"


def test_deactivating_in_bulk_needs_a_reason(as_administrator, officer):
    response = as_administrator.post(
        reverse("admin:auth_user_changelist"),
        {"action": "deactivate", "_selected_action": [officer.pk], "reason": ""},
        follow=True,
    )
    assert "Enter the reason" in response.text
    officer.refresh_from_db()
    assert officer.is_active is True


def test_administrators_cannot_deactivate_a_superuser_in_bulk(as_administrator, superuser):
    as_administrator.post(
        reverse("admin:auth_user_changelist"),
        {"action": "deactivate", "_selected_action": [superuser.pk], "reason": "Tidy up"},
    )
    superuser.refresh_from_db()
    assert superuser.is_active is True


def set_password_link(message):
    return re.search(r"https?://[^/\s]+(/\S+)", message.body).group(1)


def test_a_password_reset_link_is_sent_not_a_password_set(
    as_administrator, administrator, officer, client
):
    response = as_administrator.post(
        reverse("admin:auth_user_changelist"),
        {
            "action": "send_password_reset_link",
            "_selected_action": [officer.pk],
            "reason": "Forgot their password",
        },
    )
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.to == [officer.email]
    latest = officer.history.order_by("-history_id").first()
    assert latest.history_user == administrator
    assert latest.history_change_reason == "Password reset link sent: Forgot their password"

    # The link works for the account holder (who is not signed in).
    client.logout()
    form = client.get(set_password_link(message), follow=True)
    assert form.status_code == 200
    new = "the officer's own new passphrase"
    done = client.post(
        form.wsgi_request.path, {"new_password1": new, "new_password2": new}, follow=True
    )
    assert done.status_code == 200
    officer.refresh_from_db()
    assert officer.check_password(new)


def test_an_account_made_by_an_administrator_has_no_password_until_its_holder_sets_one(
    as_administrator, administrator
):
    response = as_administrator.post(
        reverse("admin:auth_user_add"),
        {
            "username": "new-officer",
            "first_name": "Nia",
            "last_name": "New",
            "email": "nia@example.org",
            "groups": [group(roles.OFFICER).pk],
            "password1": "set by the administrator 123",
            "password2": "set by the administrator 123",
            "reason": "Joined the SEND team",
        },
    )
    assert response.status_code == 302, response.content[:3000]
    user = User.objects.get(username="new-officer")
    assert not user.has_usable_password()
    assert list(user.groups.values_list("name", flat=True)) == [roles.OFFICER]
    (message,) = mail.outbox
    assert message.to == ["nia@example.org"]
    created = user.history.order_by("history_id").first()
    assert (created.history_type, created.history_user) == ("+", administrator)
    assert created.history_change_reason == "Joined the SEND team"


def test_an_administrator_cannot_make_a_staff_or_administrator_account(as_administrator, db):
    response = as_administrator.post(
        reverse("admin:auth_user_add"),
        {
            "username": "sneaky",
            "email": "sneaky@example.org",
            "groups": [group(roles.ADMINISTRATOR).pk],
            "is_staff": "on",
            "is_superuser": "on",
            "reason": "Helper",
        },
    )
    assert response.status_code == 200
    assert not User.objects.filter(username="sneaky").exists()


def test_signing_in_writes_no_history(client, officer):
    before = officer.history.count()
    response = client.post(
        reverse("sign-in"), {"username": "officer-a", "password": "a long test passphrase"}
    )
    assert response.status_code == 302
    officer.refresh_from_db()
    assert officer.last_login is not None
    assert officer.history.count() == before
