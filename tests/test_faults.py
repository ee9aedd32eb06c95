"""Faults: a failed save stores nothing, an unreachable database gives a 503 page and the
app recovers by itself, and every error page is styled, with no traceback."""

import re
from contextlib import contextmanager

import pytest
from django.db import DatabaseError, OperationalError, connection
from django.test import Client
from django.urls import reverse

from actions.models import Rating

RATING = {"month": "2018-07", "rating": "amber", "commentary": "Moving", "evidence": ""}


def failing_on(table):
    """An execute wrapper: the database fails when anything is written to `table`."""

    def wrapper(execute, sql, params, many, context):
        if sql.startswith("INSERT") and f'"{table}"' in sql:
            raise DatabaseError("injected: could not extend file, no space left on device")
        return execute(sql, params, many, context)

    return wrapper


def test_a_failed_save_stores_neither_the_rating_nor_its_history(officer, owned_action, caplog):
    client = Client(raise_request_exception=False)
    client.force_login(officer)
    history_before = Rating.history.count()
    with connection.execute_wrapper(failing_on("actions_historicalrating")):
        response = client.post(reverse("actions:rating-create", args=[owned_action.pk]), RATING)
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.text
    assert "has not been saved" in response.text
    reference = re.search(r"reference <strong>([0-9a-f]{32})</strong>", response.text).group(1)
    assert "Traceback" not in response.text and "no space left" not in response.text
    assert not Rating.objects.exists()
    assert Rating.history.count() == history_before
    # The log has the traceback, under the reference the user was given.
    assert reference in caplog.text and "injected: could not extend file" in caplog.text


@pytest.mark.urls("tests.faults_urls")
def test_any_other_error_gives_a_styled_page_with_a_reference_and_logs_the_traceback(
    board_member, caplog
):
    client = Client(raise_request_exception=False)
    client.force_login(board_member)
    response = client.get("/broken/")
    assert response.status_code == 500
    assert '<main class="govuk-main-wrapper"' in response.text
    reference = re.search(r"reference <strong>([0-9a-f]{32})</strong>", response.text).group(1)
    assert "secret internal detail" not in response.text and "Traceback" not in response.text
    logged = [r for r in caplog.records if reference in r.getMessage()]
    assert len(logged) == 1 and logged[0].exc_info is not None


def test_the_not_found_and_forbidden_pages_are_styled(client, other_officer, owned_action):
    client.force_login(other_officer)
    missing = client.get("/no-such-page/")
    assert missing.status_code == 404
    assert "Page not found" in missing.text and "govuk-header" in missing.text
    forbidden = client.get(reverse("actions:rating-create", args=[owned_action.pk]))
    assert forbidden.status_code == 403
    assert "You do not have permission" in forbidden.text and "govuk-header" in forbidden.text


@contextmanager
def database_unreachable():
    """PostgreSQL: the server stops answering (connections go to a closed port).
    SQLite: the file cannot be opened or stays locked beyond the timeout."""
    if connection.vendor == "postgresql":
        port = connection.settings_dict["PORT"]
        connection.settings_dict["PORT"] = "1"  # nothing listens there
        connection.close()
        try:
            yield
        finally:
            connection.settings_dict["PORT"] = port
    else:

        def locked(execute, sql, params, many, context):
            raise OperationalError("database is locked")

        with connection.execute_wrapper(locked):
            yield


@pytest.mark.django_db(transaction=True)
def test_the_database_down_gives_503_and_the_app_recovers_when_it_returns(
    history_guards_lifted_for_flush, caplog
):
    from tests.factories import UserFactory

    client = Client(raise_request_exception=False)
    client.force_login(UserFactory(username="signed-in"))
    with database_unreachable():
        for url in (reverse("password_change"), reverse("sign-in")):
            down = client.get(url)
            assert down.status_code == 503
            assert "Sorry, the service is unavailable" in down.text
            assert down["Retry-After"] == "30"
            assert "Traceback" not in down.text
        # The load balancer's check, which carries no cookies.
        health = Client(raise_request_exception=False).get(reverse("health"))
        assert health.status_code == 503
        assert health.text == "Unavailable: database\n"
        assert health["Retry-After"] == "30"
    # No restart: the next requests reconnect by themselves.
    assert client.get(reverse("health")).text == "OK\n"
    assert client.get(reverse("password_change")).status_code == 200
    assert "Database unavailable, reference" in caplog.text


def test_the_health_check_answers_without_sign_in(client, db):
    response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response.text == "OK\n"
    assert "no-store" in response["Cache-Control"]
