"""The logs an operator reads: one JSON line per request and per job, and a request id
that ties the error page a user quotes to its lines."""

import io
import json
import logging
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actions.models import Action
from wsoa_tracker.request_log import current_request_id, job_logged


@pytest.fixture
def log_lines():
    """The JSON lines the configured handler (LOGGING's "stderr") writes, as a function."""
    handler = next(h for h in logging.getLogger().handlers if h.name == "stderr")
    stream = io.StringIO()
    previous = handler.setStream(stream)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        handler.setStream(previous)


def request_line(lines):
    [line] = [line for line in lines if line.get("event") == "request"]
    return line


def test_a_request_line_has_status_duration_and_user_id_but_no_name(officer, client, log_lines):
    client.force_login(officer)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("actions:list"), {"q": "private search words"})
    assert response.status_code == 200
    lines = log_lines()
    line = request_line(lines)
    assert line["level"] == "INFO" and line["logger"] == "wsoa_tracker.requests"
    assert line["method"] == "GET" and line["path"] == reverse("actions:list")
    assert line["route"] == "actions:list" and line["status"] == 200
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] > 0
    assert line["user_id"] == officer.pk
    assert line["db_queries"] == len(queries) and line["db_ms"] >= 0
    assert line["request_id"] == response["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", line["request_id"])
    this_request = [one for one in lines if one.get("request_id") == line["request_id"]]
    text = json.dumps(this_request)
    assert "officer-a" not in text and "Ann" not in text and "O'Neill" not in text
    assert "private search words" not in text


def test_each_request_has_its_own_id(client, db, log_lines):
    first, second = client.get("/health/"), client.get("/health/")
    assert first["X-Request-ID"] != second["X-Request-ID"]
    lines = [line for line in log_lines() if line.get("event") == "request"]
    assert [line["request_id"] for line in lines] == [first["X-Request-ID"], second["X-Request-ID"]]
    assert all(line["user_id"] is None and line["route"] == "health" for line in lines)


@pytest.mark.urls("tests.faults_urls")
def test_the_request_id_links_a_500_page_to_its_log_lines(board_member, log_lines):
    client = Client(raise_request_exception=False)
    client.force_login(board_member)
    response = client.get("/broken/")
    assert response.status_code == 500
    reference = re.search(r"reference <strong>([0-9a-f]{32})</strong>", response.text).group(1)
    assert response["X-Request-ID"] == reference
    lines = log_lines()
    line = request_line(lines)
    assert line["request_id"] == reference
    assert line["status"] == 500 and line["level"] == "ERROR" and line["user_id"] == board_member.pk
    # The traceback is in the error's own line, under the same id: one id, not two.
    [error] = [line for line in lines if line["logger"] == "wsoa_tracker.errors"]
    assert error["request_id"] == reference and reference in error["message"]
    assert "secret internal detail" in error["traceback"]


@pytest.mark.urls("tests.faults_urls")
def test_the_404_403_and_400_pages_show_the_request_id(
    client, other_officer, owned_action, log_lines
):
    client.force_login(other_officer)
    missing = client.get("/no-such-page/")
    forbidden = client.get(reverse("actions:rating-create", args=[owned_action.pk]))
    bad = client.get("/health/", {"q": "a\x00b"})
    for response, status in [(missing, 404), (forbidden, 403), (bad, 400)]:
        assert response.status_code == status
        reference = response["X-Request-ID"]
        assert f"quote the reference <strong>{reference}</strong>" in response.text
    # The page a view renders as not found shows it too.
    gone = client.get(reverse("actions:detail", args=[Action.objects.order_by("pk").last().pk + 1]))
    assert gone.status_code == 404 and gone["X-Request-ID"] in gone.text
    statuses = {line["request_id"]: line["status"] for line in log_lines() if "status" in line}
    assert statuses[forbidden["X-Request-ID"]] == 403


def test_a_warning_logged_while_handling_the_request_carries_its_id(
    client, other_officer, owned_action, log_lines
):
    client.force_login(other_officer)
    response = client.get(reverse("actions:rating-create", args=[owned_action.pk]))
    assert response.status_code == 403
    warnings = [line for line in log_lines() if line["level"] == "WARNING"]
    assert warnings, "the refusal is logged"
    assert {line["request_id"] for line in warnings} == {response["X-Request-ID"]}


def test_no_request_id_outside_a_request(client, db):
    client.get("/health/")
    assert current_request_id() is None


PROXY_ID = "0123456789abcdef0123456789abcdef"


def test_a_request_id_from_the_client_is_ignored_unless_the_proxy_sets_it(client, db, settings):
    assert client.get("/health/", HTTP_X_REQUEST_ID=PROXY_ID)["X-Request-ID"] != PROXY_ID
    settings.BEHIND_PROXY = True
    assert client.get("/health/", HTTP_X_REQUEST_ID=PROXY_ID)["X-Request-ID"] != PROXY_ID
    settings.PROXY_SETS_REQUEST_ID = True
    assert client.get("/health/", HTTP_X_REQUEST_ID=PROXY_ID)["X-Request-ID"] == PROXY_ID


@pytest.mark.parametrize(
    "given", ["short", "x" * 65, 'abcdefgh", "level": "ERROR', "abcdefgh\nFORGED", "abc def ghi"]
)
def test_a_malformed_request_id_from_the_proxy_is_replaced(client, db, settings, given):
    settings.BEHIND_PROXY = settings.PROXY_SETS_REQUEST_ID = True
    returned = client.get("/health/", HTTP_X_REQUEST_ID=given)["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", returned)


def test_a_job_writes_one_line_and_its_lines_carry_its_id(db, log_lines):
    with job_logged("actions.tasks.send_digest", 41, attempt=2, request_id=PROXY_ID):
        logging.getLogger("actions.tasks").warning("One officer has no e-mail address")
        Action.objects.count()
    warning, job = log_lines()
    assert warning["job_id"] == "41" and warning["task"] == "actions.tasks.send_digest"
    assert warning["request_id"] == PROXY_ID
    assert job["event"] == "job" and job["status"] == "ok" and job["level"] == "INFO"
    assert job["task"] == "actions.tasks.send_digest" and job["job_id"] == "41"
    assert job["attempt"] == 2 and job["duration_ms"] >= 0 and job["db_queries"] == 1
    assert job["request_id"] == PROXY_ID
    assert current_request_id() is None


def test_a_failed_job_says_so_and_the_error_goes_on_to_the_runner(log_lines):
    with pytest.raises(ConnectionError), job_logged("notify.send", "7f3a"):
        raise ConnectionError("Notify is down")
    [job] = log_lines()
    assert job["status"] == "failed" and job["level"] == "ERROR" and job["attempt"] == 1
    assert job["error"] == "ConnectionError" and "Notify is down" in job["traceback"]
    assert job["job_id"] == "7f3a" and "request_id" not in job


def test_job_logged_as_a_decorator_logs_each_call(log_lines):
    @job_logged("wsoa_tracker.tasks.tidy", 1)
    def tidy():
        return "tidied"

    assert tidy() == "tidied" and tidy() == "tidied"
    assert [line["status"] for line in log_lines()] == ["ok", "ok"]
