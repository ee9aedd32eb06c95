import datetime

import pytest
from django.test import Client

from tests.factories import (
    ActionOwnerFactory,
    OwnerRoleFactory,
    RatingFactory,
    RoleHoldingFactory,
    UserFactory,
)
from tests.second_factor import force_login_with_second_factor

# Every page after sign-in needs the second factor (wsoa_tracker.second_factor): a test
# signed in by force has given it, as a real sign-in would. The password step alone is
# tests.second_factor.force_login_password_only.
Client.force_login = force_login_with_second_factor


@pytest.fixture(autouse=True)
def throttle_counts_emptied():
    """The password reset and API counts (real caches in the tests) start from nothing."""
    from django.core.cache import caches

    caches["throttle"].clear()
    caches["api_throttle"].clear()


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
    """Append-only tables refuse DELETE and TRUNCATE, and the flush that empties the
    database after each transactional test is one or the other (DELETE on SQLite, TRUNCATE
    on PostgreSQL): lift the guards for that flush only. They are there during the test,
    and put back as soon as the flush is done (the flush ends with post_migrate), so the
    database the next test finds is guarded as production is."""
    from django.apps import apps
    from django.db import connection
    from django.db.models.signals import post_migrate

    from wsoa_tracker import history_guard

    tables = history_guard.history_tables(apps)
    history_guard.install(connection, tables)
    yield

    def put_back(**kwargs):
        post_migrate.disconnect(dispatch_uid=put_back_uid)
        existing = set(connection.introspection.table_names())
        history_guard.install(connection, [table for table in tables if table in existing])

    put_back_uid = "history guards back after the flush"
    history_guard.remove(connection, tables)
    post_migrate.connect(put_back, dispatch_uid=put_back_uid, weak=False)


def is_transactional(request):
    marker = request.node.get_closest_marker("django_db")
    if marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])):
        return True
    return bool({"transactional_db", "live_server"} & set(request.fixturenames))


@pytest.fixture(autouse=True)
def guards_lifted_for_every_flush(request):
    """Every transactional test ends with a flush (see above)."""
    if is_transactional(request):
        request.getfixturevalue("history_guards_lifted_for_flush")


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


@pytest.fixture(scope="session")
def identity_provider_process():
    """A real OpenID Connect provider (tests/idp/server.mjs) on 127.0.0.1 for the whole run,
    with clients "council" and "icb" calling back to the Django test client."""
    from tests.idp import IdentityProvider

    provider = IdentityProvider(["council", "icb"], "http://testserver")
    yield provider
    provider.stop()


@pytest.fixture
def identity_provider(identity_provider_process):
    """The provider with its accounts and groups as tests/idp sets them, and no tampering."""
    identity_provider_process.reset()
    yield identity_provider_process
    identity_provider_process.reset()


@pytest.fixture
def council(db, identity_provider):
    """The county council's identity provider as an administrator configures it (a
    SocialApp pointing at the local provider), with a group mapped to each role."""
    from allauth.socialaccount.models import SocialApp

    from tests.idp import CLIENT_SECRET
    from wsoa_tracker.models import IdentityProviderRole

    Role = IdentityProviderRole.Role
    app = SocialApp.objects.create(
        provider="openid_connect",
        provider_id="council",
        name="Oxfordshire County Council",
        client_id="council",
        secret=CLIENT_SECRET,
        settings={
            "server_url": identity_provider.issuer,
            "scope": ["openid", "email", "profile", "groups"],
        },
    )
    for claim, role in [
        ("wsoa-officers", Role.OFFICER),
        ("wsoa-board", Role.BOARD_MEMBER),
        ("wsoa-chair", Role.CHAIR),
        ("wsoa-administrators", Role.ADMINISTRATOR),
    ]:
        IdentityProviderRole.objects.create(provider=app, claim_value=claim, role=role)
    return app


@pytest.fixture
def notify_stand_in(settings):
    """The local GOV.UK Notify stand-in (tests/notify_stand_in.py) on a free port, and the
    settings that send through it with the real notifications-python-client."""
    from tests.notify_stand_in import API_KEY, TEMPLATE_ID, StandIn

    stand_in = StandIn().start()
    settings.NOTIFY_API_KEY = API_KEY
    settings.NOTIFY_TEMPLATE_ID = TEMPLATE_ID
    settings.NOTIFY_BASE_URL = stand_in.url
    yield stand_in
    stand_in.stop()
