import datetime

import pytest

from tests.factories import (
    ActionOwnerFactory,
    OwnerRoleFactory,
    RatingFactory,
    RoleHoldingFactory,
    UserFactory,
)


@pytest.fixture
def owned_action(db):
    """An action owned by one role, with a June 2018 rating by its officer."""
    return ActionOwnerFactory(role=OwnerRoleFactory(title="SEN Manager")).action


@pytest.fixture
def officer(owned_action):
    """An officer who holds the role that owns `owned_action`."""
    user = UserFactory(username="officer-a", officer=True, first_name="Ann", last_name="O'Neill")
    RoleHoldingFactory(user=user, role=owned_action.owners.get())
    return user


@pytest.fixture
def other_officer(db):
    """An officer who holds a role that owns no action."""
    user = UserFactory(username="officer-x", officer=True)
    RoleHoldingFactory(user=user, role=OwnerRoleFactory(title="Another role"))
    return user


@pytest.fixture
def board_member(db):
    return UserFactory(username="board", board_member=True)


@pytest.fixture
def administrator(db):
    return UserFactory(username="administrator", administrator=True)


@pytest.fixture
def approver(db):
    """The board's chair: a board member named approver of every weakness."""
    return UserFactory(username="chair", chair=True, first_name="Chris", last_name="Chair")


@pytest.fixture
def june_rating(owned_action, officer):
    """The officer's June 2018 update, awaiting approval."""
    return RatingFactory(
        action=owned_action,
        month=datetime.date(2018, 6, 1),
        rating="amber",
        commentary="Guidance drafted",
        recorded_by=officer,
        submitted=True,
    )


@pytest.fixture
def history_guards_lifted_for_flush(transactional_db):
    """History tables refuse DELETE, and on SQLite the flush that empties the database after
    each transactional test is a DELETE: lift the guards for that flush only, and put them
    back for the next test (PostgreSQL's flush truncates, which row triggers let through)."""
    from django.apps import apps
    from django.db import connection

    from wsoa_tracker import history_guard

    tables = history_guard.history_tables(apps)
    history_guard.install(connection, tables)
    yield
    history_guard.remove(connection, tables)


@pytest.fixture
def role_groups(transactional_db):
    """The role groups, which a migration creates and each transactional test's flush
    removes (permissions come back by themselves after a flush, groups do not)."""
    from django.contrib.auth.models import Group, Permission

    from actions.roles import permissions_by_role

    for name, codenames in permissions_by_role().items():
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, codename in codenames:
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
