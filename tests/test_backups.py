"""Backups lose nothing: the whole database dumped with natural keys and loaded into an empty
one dumps again identically, and so does a physical copy (pg_dump/pg_restore, or SQLite's
online backup)."""

import os
import subprocess
import sys
import uuid
from contextlib import contextmanager
from io import StringIO

import psycopg2
import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from actions.models import Rating
from actions.services import rating_correct

# Rebuilt by `migrate` in the new database (the job runner's schedules are synced from
# wsoa_tracker/schedules.py after every migrate), or not data at all.
EXCLUDED = ["contenttypes", "auth.permission", "sessions", "django_q.schedule"]
# XML, because Django's JSON keeps times only to the millisecond: a history row's time
# would come back changed (this test caught it).
DUMP = ["dumpdata", "--natural-foreign", "--natural-primary", "--format", "xml", "--indent", "1"]
DUMP += [f"--exclude={label}" for label in EXCLUDED]


def manage(*args, env):
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        env={"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "wsoa_tracker.test_settings"}
        | env,
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


@contextmanager
def empty_database(tmp_path):
    """A new, empty database of the same kind as the suite's, and the environment that
    points the settings at it."""
    if connection.vendor == "postgresql":
        name = f"wsoa_restore_{uuid.uuid4().hex[:8]}"
        server = dict(connection.settings_dict)
        admin = psycopg2.connect(
            dbname="postgres", user=server["USER"], host=server["HOST"], port=server["PORT"]
        )
        admin.autocommit = True
        admin.cursor().execute(f'CREATE DATABASE "{name}"')
        url = f"postgres://{server['USER']}@{server['HOST']}:{server['PORT']}/{name}"
        try:
            yield {"DATABASE_URL": url}, name
        finally:
            admin.cursor().execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            admin.close()
    else:
        path = tmp_path / f"restored-{uuid.uuid4().hex[:8]}.sqlite3"
        yield {"DATABASE_URL": "", "SQLITE_PATH": str(path)}, path


def physical_copy(env, target):
    """What the README's backup and restore commands do."""
    if connection.vendor == "postgresql":
        source = connection.settings_dict
        where = ["-h", source["HOST"], "-p", str(source["PORT"]), "-U", source["USER"]]
        dump = subprocess.run(
            ["pg_dump", "--format=custom", *where, source["NAME"]], capture_output=True, check=True
        ).stdout
        subprocess.run(["pg_restore", "--no-owner", *where, "-d", target], input=dump, check=True)
    else:
        import sqlite3

        with sqlite3.connect(target) as copy:
            connection.connection.backup(copy)


@pytest.fixture
def a_working_record(history_guards_lifted_for_flush, role_groups):
    """The real record, and a month of officers' work on it, committed."""
    from tests.factories import UserFactory
    from tests.helpers import reopen_the_wsoa

    call_command("load_record", stdout=StringIO())
    reopen_the_wsoa()  # closed on 20 November 2019: reopened to correct a rating
    officer = UserFactory(username="officer-backup", first_name="Zoë", last_name="Ó Briain")
    rating = Rating.objects.filter(source="published_document").order_by("pk").first()
    rating_correct(
        original=rating,
        user=officer,
        expected_version=rating.version,
        reason="Board review: “evidence” & figures",
        rating="red",
        commentary="Stalled — staff shortages",
        evidence="",
        evidence_links="",
    )


@pytest.mark.django_db(transaction=True)
def test_a_backup_round_trip_gives_identical_dumps(a_working_record, tmp_path):
    first = StringIO()
    call_command(*DUMP, stdout=first)
    first = first.getvalue()
    assert "Board review: “evidence” &amp; figures</field>" in first

    dump_file = tmp_path / "backup.xml"
    dump_file.write_text(first, encoding="utf-8")
    with empty_database(tmp_path) as (env, _):
        manage("migrate", "--no-input", env=env)
        manage("loaddata", str(dump_file), env=env)
        assert manage(*DUMP, env=env) == first

    with empty_database(tmp_path) as (env, target):
        physical_copy(env, target)
        assert manage(*DUMP, env=env) == first
