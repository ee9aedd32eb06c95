"""A database that hangs instead of refusing must not hang the app: connections, statements
and dead peers are bounded in time (PostgreSQL), pages answer 503 within seconds, and the
app recovers by itself when the database answers again."""

import ast
import subprocess
import time

import psycopg2
import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from tests.servers import SilentDatabase, gunicorn, production_env, request
from tests.test_settings import django_setting

PG = "postgres://someone@db.example:5432/wsoa"
# Generous: the connect timeout is 5 s (libpq may take up to a second more); a request
# that hung would take minutes. The cause is asserted separately (libpq's "timeout expired").
BOUND = 10


def postgresql_options(**env):
    result = django_setting("DATABASES['default']['OPTIONS']", DJANGO_DEBUG="1", **env)
    assert result.returncode == 0, result.stderr
    return ast.literal_eval(result.stdout.strip())


def test_postgresql_connections_are_bounded_in_time_by_default():
    options = postgresql_options(DATABASE_URL=PG)
    assert options["connect_timeout"] == 5
    assert "-c statement_timeout=30000" in options["options"]
    # A peer that vanishes (network cut, failed-over host) is noticed, not waited for.
    assert options["keepalives"] == 1
    assert options["keepalives_idle"] <= 60
    assert options["keepalives_interval"] <= 10 and options["keepalives_count"] <= 5
    assert 0 < options["tcp_user_timeout"] <= 30000


def test_the_timeouts_come_from_the_environment():
    options = postgresql_options(
        DATABASE_URL=PG, DJANGO_DB_CONNECT_TIMEOUT="3", DJANGO_DB_STATEMENT_TIMEOUT="12"
    )
    assert options["connect_timeout"] == 3
    assert "-c statement_timeout=12000" in options["options"]


@pytest.mark.parametrize("wrong", ["0", "-5", "soon", "1"])
def test_a_timeout_that_is_not_a_positive_number_is_refused(wrong):
    # libpq treats a connect timeout under 2 s as 2 s, and 0 as "wait for ever".
    result = django_setting(
        "DEBUG", DJANGO_DEBUG="1", DATABASE_URL=PG, DJANGO_DB_CONNECT_TIMEOUT=wrong
    )
    assert result.returncode != 0
    assert "DJANGO_DB_CONNECT_TIMEOUT" in result.stderr


def test_connecting_to_a_database_that_never_answers_times_out():
    """The cause: libpq gives up after connect_timeout on a server that accepted the
    connection and then said nothing (not a refused connection)."""
    options = postgresql_options(DATABASE_URL=PG)
    with SilentDatabase() as silent:
        started = time.monotonic()
        with pytest.raises(psycopg2.OperationalError, match="timeout expired"):
            psycopg2.connect(
                host="127.0.0.1", port=silent.port, dbname="wsoa", user="nobody", **options
            )
        assert time.monotonic() - started < BOUND
        assert silent.accepted >= 1


def postgresql_reachable():
    return subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1", "-p", "5432"]).returncode == 0


def test_gunicorn_pages_answer_503_within_seconds_and_recover_when_it_answers(tmp_path):
    with SilentDatabase() as silent:
        env = production_env(
            DATABASE_URL=f"postgres://postgres@127.0.0.1:{silent.port}/postgres",
            DJANGO_BEHIND_PROXY="1",
        )
        # Ready when it answers a page that needs no database (a 404).
        with gunicorn(env, tmp_path / "gunicorn.log", ready_path="/not-a-page/") as port:
            https = {"X-Forwarded-Proto": "https", "Host": f"127.0.0.1:{port}"}
            for path, text in (
                ("/health/", "Unavailable: database"),
                ("/progress/", "Sorry, the service is unavailable"),
                ("/sign-in/", "Sorry, the service is unavailable"),
            ):
                started = time.monotonic()
                status, headers, body = request(port, "GET", path, headers=https, timeout=BOUND + 5)
                assert time.monotonic() - started < BOUND, path
                assert status == 503, (path, body[-500:])
                assert text in body
                assert headers["Retry-After"]
                assert "Traceback" not in body
            log = (tmp_path / "gunicorn.log").read_text()
            assert "timeout expired" in log
            assert silent.accepted >= 3
            if not postgresql_reachable():
                pytest.skip("PostgreSQL is not running here: recovery not shown")
            # The database answers again: no restart, the next check reconnects.
            silent.thaw(5432)
            deadline = time.monotonic() + 30
            while True:
                status, _, body = request(port, "GET", "/health/", headers=https, timeout=60)
                if status == 200 or time.monotonic() > deadline:
                    break
                time.sleep(0.5)
            assert (status, body) == (200, "OK\n")


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="PostgreSQL's timeouts")
def test_the_app_runs_statements_under_the_statement_timeout(db):
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "30s"


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="PostgreSQL's timeouts")
def test_the_health_check_gives_up_on_a_slow_database_after_a_short_timeout(db, caplog):
    def slow(execute, sql, params, many, context):
        if sql == "SELECT 1":
            sql = "SELECT pg_sleep(20)"
        return execute(sql, params, many, context)

    started = time.monotonic()
    with connection.execute_wrapper(slow):
        response = Client().get(reverse("health"))
    assert time.monotonic() - started < BOUND
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "statement timeout" in caplog.text
