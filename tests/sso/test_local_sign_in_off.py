"""Local sign-in switched off (LOCAL_SIGN_IN, WSOA_LOCAL_SIGN_IN=0): the form is gone and
posting it is refused before any password is checked, except for the break-glass account,
whose every sign-in (and failed try) is logged at warning level. Single sign-on goes on."""

import logging

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from tests.factories import UserFactory
from tests.idp import sign_in_through
from tests.second_factor import authenticator_for, code_now

PASSWORD = "a long test passphrase"  # the factories' password
SIGN_IN = reverse("sign-in")


@pytest.fixture
def local_sign_in_off(settings):
    settings.LOCAL_SIGN_IN = False
    settings.BREAK_GLASS_USERNAME = "break-glass"


@pytest.fixture
def break_glass(db):
    return UserFactory(username="break-glass", administrator=True)


def signed_in(client):
    return client.get(reverse("actions:list")).status_code == 200


def give_the_code(client, user):
    """The step after the password: the code of the account's authenticator app."""
    response = client.post(reverse("second-factor"), {"code": code_now(authenticator_for(user))})
    assert response.status_code == 302


def test_the_form_is_gone(client, db, local_sign_in_off):
    page = client.get(SIGN_IN).content.decode()
    assert 'name="password"' not in page
    assert "Sign-in with a username and password is switched off" in page


def test_the_providers_buttons_stay(client, council, local_sign_in_off, identity_provider):
    page = client.get(SIGN_IN).content.decode()
    assert "Sign in with Oxfordshire County Council" in page
    assert sign_in_through(client, identity_provider, "council", "ann").status_code == 302
    assert signed_in(client)


def test_posting_the_form_is_refused_and_no_password_is_checked(
    client, local_sign_in_off, board_member
):
    response = client.post(SIGN_IN, {"username": "board", "password": PASSWORD})
    assert response.status_code == 403
    page = response.content.decode()
    assert "There is a problem" in page
    assert "use your organisation&#x27;s button to sign in" in page
    assert not signed_in(client)
    assert not AccessAttempt.objects.exists()  # not a failure django-axes counts


def test_the_break_glass_account_signs_in_and_is_logged_at_warning(
    client, local_sign_in_off, break_glass, caplog
):
    page = client.get(SIGN_IN + "?break-glass").content.decode()
    assert 'name="password"' in page
    with caplog.at_level(logging.INFO, logger="wsoa_tracker.accounts"):
        response = client.post(
            SIGN_IN + "?break-glass", {"username": "break-glass", "password": PASSWORD}
        )
    assert response.status_code == 302
    assert not signed_in(client)  # an administrator: the second factor comes next
    give_the_code(client, break_glass)
    assert signed_in(client)
    [record] = [r for r in caplog.records if r.name == "wsoa_tracker.accounts"]
    assert record.levelno == logging.WARNING
    assert record.getMessage() == "Break-glass sign-in: break-glass signed in from 127.0.0.1"


def test_a_failed_break_glass_sign_in_is_logged_at_warning(
    client, local_sign_in_off, break_glass, caplog
):
    response = client.post(SIGN_IN, {"username": "break-glass", "password": "wrong one"})
    assert response.status_code == 200  # the usual "Enter a correct username" refusal
    assert not signed_in(client)
    assert "Break-glass sign-in failed for break-glass from 127.0.0.1" in caplog.text
    assert AccessAttempt.objects.get().failures_since_start == 1  # still throttled


def test_break_glass_sign_ins_are_logged_with_local_sign_in_on_too(
    client, settings, break_glass, caplog
):
    settings.BREAK_GLASS_USERNAME = "break-glass"
    client.post(SIGN_IN, {"username": "break-glass", "password": PASSWORD})
    assert "Break-glass sign-in: break-glass signed in" in caplog.text


def test_with_local_sign_in_on_everyone_signs_in_and_nothing_is_logged_at_warning(
    client, board_member, caplog
):
    assert 'name="password"' in client.get(SIGN_IN).content.decode()
    client.post(SIGN_IN, {"username": "board", "password": PASSWORD})
    give_the_code(client, board_member)
    assert signed_in(client)
    assert "Break-glass" not in caplog.text
