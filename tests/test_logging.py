"""Log lines cannot be forged: whatever a user types (a username with a newline, control
characters) is escaped, so that each record is exactly one line of the log."""

import io
import logging
import re

import pytest
from django.urls import reverse

from tests.factories import UserFactory

SIGN_IN = reverse("sign-in")
RECORD_START = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} (DEBUG|INFO|WARNING|ERROR) ")


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


def test_a_newline_in_a_username_does_not_forge_a_log_line(client, db, log_output):
    UserFactory(username="ann")
    forged = "x\nFORGED 2026-01-01 00:00:00,000 WARNING authz_denied user=admin\r\nAGAIN\x1b[2J"
    response = client.post(SIGN_IN, {"username": forged, "password": "wrong password"})
    assert response.status_code == 200
    output = log_output.getvalue()
    lines = output.splitlines()
    # The failure was logged, the username with it, escaped.
    assert any("FORGED" in line for line in lines)
    assert r"x\nFORGED" in output and r"\r\nAGAIN\x1b[2J" in output
    assert all(RECORD_START.match(line) for line in lines), lines
    assert "\x1b" not in output


def test_a_traceback_is_one_line_too(log_output):
    try:
        raise ValueError("line one\nline two")
    except ValueError:
        logging.getLogger("wsoa_tracker.test").exception("Failed for %s", "a\u2028b")
    lines = log_output.getvalue().splitlines()
    assert len(lines) == 1, lines
    assert "Traceback" in lines[0] and r"line one\nline two" in lines[0]
    assert r"a\u2028b" in lines[0]


def test_a_backslash_stays_distinguishable_from_an_escape(log_output):
    logging.getLogger("wsoa_tracker.test").warning("typed %s", "a\\nb")
    assert r"typed a\\nb" in log_output.getvalue()
