"""Log lines cannot be forged: each record is one JSON object on one line, and whatever a
user types (a username with a newline, quotes, a fake field, control characters) stays
inside its own string."""

import io
import json
import logging

import pytest
from django.urls import reverse

from tests.factories import UserFactory
from wsoa_tracker.logs import SingleLineFormatter

SIGN_IN = reverse("sign-in")


@pytest.fixture
def log_output():
    """What the configured log handler (LOGGING's "stderr") writes."""
    handler = next(h for h in logging.getLogger().handlers if h.name == "stderr")
    stream = io.StringIO()
    previous = handler.setStream(stream)
    try:
        yield stream
    finally:
        handler.setStream(previous)


def records(output):
    """Each line of the log as JSON: fails if any line is not one whole object."""
    return [json.loads(line) for line in output.splitlines()]


def test_a_newline_in_a_username_does_not_forge_a_log_line(client, db, log_output):
    UserFactory(username="ann")
    forged = "x\nFORGED 2026-01-01 00:00:00,000 WARNING authz_denied user=admin\r\nAGAIN\x1b[2J"
    response = client.post(SIGN_IN, {"username": forged, "password": "wrong password"})
    assert response.status_code == 200
    output = log_output.getvalue()
    logged = records(output)
    # The failure was logged, the username with it, whole, inside one line's message.
    assert any(forged in line["message"] for line in logged)
    assert not any(line["message"].startswith("FORGED") for line in logged)
    assert "\x1b" not in output and "\r" not in output


def test_quotes_and_a_fake_field_in_a_username_stay_in_the_message(client, db, log_output):
    forged = 'x", "level": "CRITICAL", "user_id": 1, "message": "all is well'
    client.post(SIGN_IN, {"username": forged, "password": "wrong password"})
    logged = records(log_output.getvalue())
    failure = next(line for line in logged if forged in line["message"])
    assert failure["level"] == "WARNING"
    assert not any(line["level"] == "CRITICAL" for line in logged)
    assert not any(line.get("user_id") == 1 or line["message"] == "all is well" for line in logged)


def test_a_traceback_is_one_line_too(log_output):
    try:
        raise ValueError("line one\nline two")
    except ValueError:
        logging.getLogger("wsoa_tracker.test").exception("Failed for %s", "a\u2028b")
    output = log_output.getvalue()
    [line] = records(output)
    assert line["message"] == "Failed for a\u2028b" and line["level"] == "ERROR"
    assert "Traceback" in line["traceback"] and "line one\nline two" in line["traceback"]
    assert "\u2028" not in output


def test_a_backslash_stays_distinguishable_from_an_escape(log_output):
    logging.getLogger("wsoa_tracker.test").warning("typed %s", "a\\nb")
    [line] = records(log_output.getvalue())
    assert line["message"] == "typed a\\nb"


def test_a_calls_extra_fields_come_out_but_cannot_replace_the_line_s_own(log_output):
    logging.getLogger("wsoa_tracker.test").info(
        "Sent", extra={"recipients": 3, "level": "DEBUG", "time": "never"}
    )
    [line] = records(log_output.getvalue())
    assert line["recipients"] == 3
    assert line["level"] == "INFO" and line["time"].startswith("20")
    assert line["logger"] == "wsoa_tracker.test" and line["message"] == "Sent"


def test_the_plain_format_still_escapes_control_characters():
    record = logging.LogRecord("t", logging.WARNING, "", 0, "typed %s", ("x\nFORGED\x1b",), None)
    text = SingleLineFormatter("%(levelname)s %(message)s").format(record)
    assert text == r"WARNING typed x\nFORGED\x1b"
