"""Create the database roles production runs as: an owner for migrations, and an app role
that may only read and append to the history (README: Database roles)."""

import os
import re

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from wsoa_tracker import history_guard

ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
# Neither role may do more than its job: no superuser, no making roles or databases.
PLAIN = "LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS"
DML = "SELECT, INSERT, UPDATE, DELETE"

OWNED_ELSEWHERE = """
SELECT c.relkind, c.relname FROM pg_class c
WHERE c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema())
  AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
  AND c.relowner <> (SELECT oid FROM pg_roles WHERE rolname = %s)
  -- a sequence that belongs to a column goes with its table
  AND NOT (c.relkind = 'S' AND EXISTS (
      SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i')))
ORDER BY c.relkind, c.relname
"""
FUNCTIONS_ELSEWHERE = """
SELECT p.oid::regprocedure::text FROM pg_proc p
WHERE p.pronamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema())
  AND p.proowner <> (SELECT oid FROM pg_roles WHERE rolname = %s)
"""
ALTER = {"r": "TABLE", "p": "TABLE", "v": "VIEW", "m": "MATERIALIZED VIEW", "S": "SEQUENCE"}


def quoted(name):
    return f'"{name}"'


class Command(BaseCommand):
    help = (
        "Make (or put right) the two PostgreSQL roles of the current database: the owner, "
        "which runs the migrations and owns every table, and the app, which serves the "
        "site and may only read and add to history and seals (never truncate, alter or own "
        "anything). Run it as a superuser; safe to run again. Tables that later migrations "
        "make get the app's grants by default privileges. Passwords, if wanted, come from "
        "WSOA_OWNER_DB_PASSWORD and WSOA_APP_DB_PASSWORD."
    )

    def add_arguments(self, parser):
        parser.add_argument("--app-role", default="wsoa_app")
        parser.add_argument("--owner-role", default="wsoa_owner")

    def handle(self, *args, app_role, owner_role, **options):
        if connection.vendor != "postgresql":
            raise CommandError("Database roles are PostgreSQL's; SQLite has none to make.")
        for name in (app_role, owner_role):
            if not ROLE_NAME.match(name):
                raise CommandError(
                    f"{name!r} is not a role name: use lower-case letters, digits and _."
                )
        if app_role == owner_role:
            raise CommandError("The app and the owner must be two different roles.")
        with transaction.atomic(), connection.cursor() as cursor:
            self.cursor = cursor
            for role, variable in (
                (owner_role, "WSOA_OWNER_DB_PASSWORD"),
                (app_role, "WSOA_APP_DB_PASSWORD"),
            ):
                self.make_role(role, os.environ.get(variable))
            self.nothing_more_for(app_role)
            self.owner_owns_everything(owner_role)
            self.app_may_use_the_record(app_role, owner_role)
        self.stdout.write(
            self.style.SUCCESS(
                f"Roles ready: {owner_role} owns the tables and runs migrations; {app_role} "
                "serves the app, and only reads and adds to history and seals."
            )
        )

    def run(self, sql, params=None):
        self.cursor.execute(sql, params)

    def rows(self, sql, params=None):
        self.cursor.execute(sql, params)
        return self.cursor.fetchall()

    def make_role(self, role, password):
        if not self.rows("SELECT 1 FROM pg_roles WHERE rolname = %s", [role]):
            self.run(f"CREATE ROLE {quoted(role)} {PLAIN}")
            self.stdout.write(f"Created role {role}.")
        self.run(f"ALTER ROLE {quoted(role)} {PLAIN}")
        if password:
            self.run(f"ALTER ROLE {quoted(role)} PASSWORD %s", [password])

    def nothing_more_for(self, app):
        """The app is a member of no role, so it can never SET ROLE to the owner."""
        memberships = self.rows(
            "SELECT r.rolname FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid "
            "WHERE m.member = (SELECT oid FROM pg_roles WHERE rolname = %s)",
            [app],
        )
        for (role,) in memberships:
            self.run(f"REVOKE {quoted(role)} FROM {quoted(app)}")

    def owner_owns_everything(self, owner):
        [(name, schema)] = self.rows("SELECT current_database(), current_schema()")
        self.run(f"GRANT CONNECT ON DATABASE {quoted(name)} TO {quoted(owner)}")
        self.run(f"GRANT USAGE, CREATE ON SCHEMA {quoted(schema)} TO {quoted(owner)}")
        for kind, relation in self.rows(OWNED_ELSEWHERE, [owner]):
            self.run(f"ALTER {ALTER[kind]} {quoted(relation)} OWNER TO {quoted(owner)}")
        for (function,) in self.rows(FUNCTIONS_ELSEWHERE, [owner]):
            self.run(f"ALTER FUNCTION {function} OWNER TO {quoted(owner)}")

    def app_may_use_the_record(self, app, owner):
        [(name, schema)] = self.rows("SELECT current_database(), current_schema()")
        app, owner, schema = quoted(app), quoted(owner), quoted(schema)
        self.run(f"GRANT CONNECT ON DATABASE {quoted(name)} TO {app}")
        self.run(f"REVOKE CREATE ON SCHEMA {schema} FROM PUBLIC, {app}")
        self.run(f"GRANT USAGE ON SCHEMA {schema} TO {app}")
        self.run(f"REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM {app}")
        self.run(f"GRANT {DML} ON ALL TABLES IN SCHEMA {schema} TO {app}")
        self.run(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {app}")
        # Tables and sequences the owner makes later (migrations) get the same.
        for grant in (f"{DML} ON TABLES", "USAGE, SELECT ON SEQUENCES"):
            self.run(
                f"ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA {schema} "
                f"GRANT {grant} TO {app}"
            )
        # History and seals: SELECT and INSERT only (history_guard.install does the same
        # for the append-only tables that later migrations make).
        history_guard.take_back_grants(self.cursor, history_guard.history_tables(apps))
