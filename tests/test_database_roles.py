"""On PostgreSQL the app does not run as the owner of its tables (issue 12, item 3).

`manage.py create_database_roles` makes an owner role, which runs the migrations and owns
every table, and an app role, which serves the site: it reads and writes the record, may
only SELECT and INSERT on history and seals, and cannot truncate, alter, disable a
trigger, drop one, replace the guard function or switch triggers off with
`session_replication_role`. These tests connect as the app role and try each.

Roles are cluster-wide and other people run tests on the same server: the roles here are
named after the test database and dropped afterwards.
"""

from contextlib import contextmanager
from io import StringIO

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from tests.factories import RatingFactory
from wsoa_tracker import history_guard

pytestmark = [
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="database roles are PostgreSQL's",
    ),
    pytest.mark.django_db(transaction=True),
]

REFUSED = r"permission denied|must be owner|History is append-only"


@pytest.fixture
def database_roles(transactional_db):
    name = connection.settings_dict["NAME"]
    app, owner = f"{name}_app", f"{name}_owner"
    call_command("create_database_roles", app_role=app, owner_role=owner, stdout=StringIO())
    yield app, owner
    connection.close()
    with connection.cursor() as cursor:
        for role in (owner, app):
            cursor.execute(f'REASSIGN OWNED BY "{role}" TO CURRENT_USER')
            cursor.execute(f'DROP OWNED BY "{role}"')
        for role in (owner, app):
            cursor.execute(f'DROP ROLE IF EXISTS "{role}"')


@contextmanager
def connected_as(role):
    """Django's own connection, signed in as `role` (trust authentication here)."""
    connection.close()
    saved = connection.settings_dict["USER"]
    connection.settings_dict["USER"] = role
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["USER"] = saved


def run(sql):
    with connection.cursor() as cursor:
        cursor.execute(sql)


def refused(sql):
    """`sql` fails; were it to succeed, it is rolled back, so one miss does not hide the
    next attempts (a replaced guard function would let everything after it through)."""
    with pytest.raises(DatabaseError, match=REFUSED), transaction.atomic():
        run(sql)
        transaction.set_rollback(True)


def append_only_tables():
    return history_guard.history_tables(apps)


def every_table():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1"
        )
        return [row[0] for row in cursor.fetchall()]


def test_the_app_role_cannot_rewrite_history_or_lift_its_guards(database_roles, subtests):
    app, owner = database_roles
    RatingFactory()
    tables = every_table()
    with connected_as(app):
        attempts = {"SET session_replication_role": "SET session_replication_role = replica"}
        attempts["CREATE OR REPLACE FUNCTION"] = (
            "CREATE OR REPLACE FUNCTION refuse_history_change() RETURNS trigger "
            "LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$"
        )
        attempts["CREATE TABLE"] = "CREATE TABLE public.tampering (id int)"
        attempts["SET ROLE owner"] = f'SET ROLE "{owner}"'
        for table in append_only_tables():
            attempts |= {
                f"TRUNCATE {table}": f'TRUNCATE "{table}"',
                f"UPDATE {table}": f'UPDATE "{table}" SET id = id',
                f"DELETE {table}": f'DELETE FROM "{table}"',
                f"DISABLE TRIGGER {table}": f'ALTER TABLE "{table}" DISABLE TRIGGER ALL',
                f"DROP TRIGGER {table}": f'DROP TRIGGER "{table}_append_only" ON "{table}"',
                f"DROP TRUNCATE TRIGGER {table}": (
                    f'DROP TRIGGER "{table}_no_truncate" ON "{table}"'
                ),
            }
        for table in tables:
            attempts[f"ALTER TABLE {table}"] = f'ALTER TABLE "{table}" ADD COLUMN tampered int'
        for name, sql in attempts.items():
            with subtests.test(attempt=name):
                refused(sql)


def test_the_app_role_records_ratings_and_their_history(database_roles):
    app, _ = database_roles
    with connected_as(app):
        rating = RatingFactory(commentary="Recorded as the app")
        rating.commentary = "Corrected as the app"
        rating.save()
        assert [row.commentary for row in rating.history.order_by("history_id")] == [
            "Recorded as the app",
            "Corrected as the app",
        ]
        out = StringIO()
        call_command("verify_audit", stdout=out)
        assert "intact" in out.getvalue()


def test_tables_made_by_later_migrations_get_the_right_grants(database_roles):
    app, owner = database_roles
    with connected_as(owner):
        run("CREATE TABLE later_record (id int)")
        run("CREATE TABLE later_historicalrecord (id int)")
        history_guard.install(connection, ["later_historicalrecord"])
    try:
        with connected_as(app):
            run("INSERT INTO later_record VALUES (1)")
            run("UPDATE later_record SET id = 2")
            run("INSERT INTO later_historicalrecord VALUES (1)")
            refused("UPDATE later_historicalrecord SET id = 2")
            refused("TRUNCATE later_record")
    finally:
        with connected_as(owner):
            run("DROP TABLE later_record, later_historicalrecord")


def test_the_roles_are_made_again_safely_and_have_no_special_powers(database_roles):
    app, owner = database_roles
    out = StringIO()
    call_command("create_database_roles", app_role=app, owner_role=owner, stdout=out)
    assert f"{app}" in out.getvalue()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rolname, rolsuper, rolcreaterole, rolcreatedb, rolbypassrls, rolreplication "
            "FROM pg_roles WHERE rolname = ANY(%s) ORDER BY 1",
            [[app, owner]],
        )
        assert cursor.fetchall() == [(app, False, False, False, False, False)] + [
            (owner, False, False, False, False, False)
        ]
        cursor.execute(
            "SELECT count(*) FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.member "
            "WHERE r.rolname = %s",
            [app],
        )
        assert cursor.fetchone() == (0,)
        cursor.execute(
            "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema() "
            "AND tableowner <> %s",
            [owner],
        )
        assert cursor.fetchone() == (0,)
