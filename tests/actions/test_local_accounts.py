import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import CommandError, call_command
from django.test import RequestFactory

from actions import roles

pytestmark = pytest.mark.django_db


def test_local_accounts_are_refused_when_debug_is_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("create_local_accounts")
    assert not get_user_model().objects.exists()


def test_one_local_account_per_role_with_its_printed_password(settings, capsys):
    settings.DEBUG = True
    call_command("create_local_accounts")
    lines = capsys.readouterr().out.splitlines()
    lines = [line for line in lines if "username: " in line]
    assert len(lines) == 3
    for line in lines:
        username, password = line.split("username: ")[1].split(" password: ")
        user = authenticate(
            RequestFactory().post("/sign-in/"),
            username=username.strip(),
            password=password.strip(),
        )
        assert user is not None
        assert user.groups.get().name in {roles.OFFICER, roles.BOARD_MEMBER, roles.ADMINISTRATOR}
        assert user.is_staff == (user.groups.get().name == roles.ADMINISTRATOR)
        assert not user.is_superuser
    chair = get_user_model().objects.get(username="local-board-member")
    assert chair.approver_roles.get().finding is None  # the chair, who reviews everything


def test_the_role_groups_hold_the_permissions_the_roles_module_describes():
    from django.contrib.auth.models import Group

    for name, codenames in roles.permissions_by_role().items():
        held = set(
            Group.objects.get(name=name).permissions.values_list(
                "content_type__app_label", "codename"
            )
        )
        assert held == set(codenames), name
