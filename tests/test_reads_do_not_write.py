"""Reads never write or lock: a signed-in read page writes nothing (not even the session
row) and, on SQLite, takes no write lock; the idle limit is renewed at most once a minute."""

import datetime
import re
from contextlib import contextmanager

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import FindingFactory, RatingFactory
from tests.factories.users import PASSWORD

WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)
SESSION_WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b.*django_session", re.I | re.S)


@contextmanager
def statements():
    """Every statement sent to the database, BEGINs included (which Django's query log
    leaves out when the test runs inside a transaction of its own)."""
    sent = []

    def record(execute, sql, params, many, context):
        sent.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        yield sent


def writes(sent):
    return [sql for sql in sent if WRITE.match(sql)]


def read_pages(action):
    finding = action.required_outcome.weakness
    return [
        reverse("actions:grid"),
        reverse("actions:list"),
        reverse("actions:detail", args=[action.pk]),
        reverse("findings:detail", args=[finding.pk]),
    ]


@pytest.mark.django_db(transaction=True)
def test_signed_in_read_pages_write_nothing_and_take_no_write_lock(
    role_groups, owned_action, officer
):
    RatingFactory(action=owned_action, recorded_by=officer)
    client = Client()
    client.force_login(officer)  # renews the idle limit: the pages below need not
    for url in read_pages(owned_action):
        with statements() as sent:
            response = client.get(url)
        assert response.status_code == 200, url
        assert writes(sent) == [], url
        assert not [sql for sql in sent if "IMMEDIATE" in sql.upper()], url
        if connection.vendor == "sqlite":
            # Still one transaction (one snapshot), but a deferred one.
            assert "BEGIN DEFERRED" in sent, url


@pytest.mark.django_db(transaction=True)
def test_a_write_page_still_writes_in_an_immediate_transaction(role_groups, officer):
    client = Client()
    client.force_login(officer)
    with statements() as sent:
        response = client.post(
            reverse("password_change"),
            {
                "old_password": PASSWORD,
                "new_password1": "another long passphrase",
                "new_password2": "another long passphrase",
            },
        )
    assert response.status_code == 302
    assert any("auth_user" in sql for sql in writes(sent))
    if connection.vendor == "sqlite":
        # The write lock first, then the work.
        update = next(n for n, sql in enumerate(sent) if WRITE.match(sql) and "auth_user" in sql)
        assert "BEGIN IMMEDIATE" in sent[:update]
    # A later read is deferred again on the same connection.
    with statements() as sent:
        assert client.get(reverse("actions:list")).status_code == 200
    assert not [sql for sql in sent if "IMMEDIATE" in sql.upper()]


def session_writes(client, url):
    with statements() as sent:
        response = client.get(url)
    assert response.status_code in (200, 204), url
    return [sql for sql in sent if SESSION_WRITE.match(sql)]


def test_the_session_is_renewed_at_most_once_a_minute(client, board_member, owned_action):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.force_login(board_member)
    key = client.session.session_key
    expiry = Session.objects.get(session_key=key).expire_date
    with time_machine.travel(start + datetime.timedelta(seconds=10), tick=False):
        assert session_writes(client, reverse("actions:list")) == []
    with time_machine.travel(start + datetime.timedelta(seconds=20), tick=False):
        assert session_writes(client, reverse("actions:detail", args=[owned_action.pk])) == []
    assert Session.objects.get(session_key=key).expire_date == expiry
    with time_machine.travel(start + datetime.timedelta(seconds=61), tick=False):
        assert len(session_writes(client, reverse("actions:list"))) == 1
    assert Session.objects.get(session_key=key).expire_date == expiry + datetime.timedelta(
        seconds=61
    )
    # Renewed at 61 s: the next minute is quiet again.
    with time_machine.travel(start + datetime.timedelta(seconds=100), tick=False):
        assert session_writes(client, reverse("actions:list")) == []


def test_stay_signed_in_renews_at_once_even_within_the_minute(client, board_member):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.force_login(board_member)
    with time_machine.travel(start + datetime.timedelta(seconds=5), tick=False):
        assert len(session_writes(client, reverse("keep-alive"))) == 1


def test_a_session_ends_30_minutes_after_its_last_renewal(client, board_member):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.force_login(board_member)
    # A page 30 s later does not renew: the limit still runs from sign-in...
    with time_machine.travel(start + datetime.timedelta(seconds=30), tick=False):
        assert client.get(reverse("actions:list")).status_code == 200
    with time_machine.travel(start + datetime.timedelta(minutes=29, seconds=59), tick=False):
        assert client.get(reverse("actions:list")).status_code == 200  # renews here
    with time_machine.travel(start + datetime.timedelta(minutes=59, seconds=58), tick=False):
        assert client.get(reverse("actions:list")).status_code == 200
    # ...and never lasts longer than 30 minutes after the last renewal.
    with time_machine.travel(start + datetime.timedelta(minutes=89, seconds=59), tick=False):
        response = client.get(reverse("actions:list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("sign-in"))


def test_the_warning_counts_down_from_the_last_renewal(client, board_member):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.force_login(board_member)
    with time_machine.travel(start + datetime.timedelta(seconds=50), tick=False):
        page = client.get(reverse("actions:list")).text
    assert 'data-session-seconds="1750"' in page  # the server ends it 1,800 s after sign-in
    with time_machine.travel(start + datetime.timedelta(seconds=70), tick=False):
        page = client.get(reverse("actions:list")).text
    assert 'data-session-seconds="1800"' in page  # renewed by this page


PUBLIC_PAGES = {  # name: the URL's arguments
    "health": [],
    "public-progress": [],
    "public-finding": ["revisit", "B"],
    "open-data": [],
    "accessibility": [],
    "privacy": [],
    "cookies": [],
    "open-data-csv": ["ratings"],
    "open-data-json": ["ratings"],
    "sign-in": [],
}


@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_public_pages_touch_no_session(client, board_member, name):
    if name == "public-finding":
        FindingFactory(review__slug="revisit", code="B")
    url = reverse(name, args=PUBLIC_PAGES[name])
    with statements() as sent:
        assert client.get(url).status_code == 200
    assert not [sql for sql in sent if "django_session" in sql]
    signed_in = Client()
    signed_in.force_login(board_member)
    start = timezone.now()
    with time_machine.travel(start + datetime.timedelta(minutes=5), tick=False):
        # Even when the idle limit is due for renewal: a public page does not renew it.
        with statements() as sent:
            assert signed_in.get(url).status_code in (200, 302)
    assert not [sql for sql in sent if SESSION_WRITE.match(sql)]
    if name == "health":
        assert not [sql for sql in sent if "django_session" in sql]
