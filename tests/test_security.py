"""Production security: deploy checks, headers, sign-in throttling, sessions, CSRF, passwords."""

import datetime
import os
import re
import subprocess
import sys

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from actions.models import Rating
from tests.factories import UserFactory

PASSWORD = "a long test passphrase"  # the factories' password
SIGN_IN = reverse("sign-in")


def sign_in(client, username, password=PASSWORD, address="10.0.0.1"):
    return client.post(SIGN_IN, {"username": username, "password": password}, REMOTE_ADDR=address)


def test_the_production_settings_pass_django_deploy_checks_with_no_warnings():
    env = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "wsoa_tracker.settings",
        "DJANGO_SECRET_KEY": "k7#Qx!v2" * 8,
        "DJANGO_ALLOWED_HOSTS": "wsoa-tracker.example.gov.uk",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def assert_security_headers(response):
    policy = response["Content-Security-Policy"]
    for directive in (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ):
        assert directive in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    hsts = response["Strict-Transport-Security"]
    assert int(re.search(r"max-age=(\d+)", hsts).group(1)) >= 365 * 24 * 60 * 60
    assert "includeSubDomains" in hsts
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    cache = response["Cache-Control"]
    assert "no-store" in cache and "private" in cache


@pytest.fixture
def https(settings):
    settings.SECURE_SSL_REDIRECT = True


def test_the_sign_in_page_carries_the_security_headers(client, db, https):
    response = client.get(SIGN_IN, secure=True)
    assert response.status_code == 200
    assert_security_headers(response)


def test_a_signed_in_page_carries_the_security_headers(client, board_member, owned_action, https):
    client.force_login(board_member)
    response = client.get(reverse("actions:detail", args=[owned_action.pk]), secure=True)
    assert response.status_code == 200
    assert_security_headers(response)


def test_plain_http_is_redirected_to_https(client, db, https):
    response = client.get(SIGN_IN)
    assert response.status_code == 301
    assert response["Location"] == "https://testserver" + SIGN_IN


def test_cookies_are_secure_http_only_and_host_only(db):
    assert settings.SESSION_COOKIE_SECURE and settings.CSRF_COOKIE_SECURE
    assert settings.SESSION_COOKIE_HTTPONLY
    assert settings.SESSION_COOKIE_NAME == "__Host-sessionid"
    assert settings.CSRF_COOKIE_NAME == "__Host-csrftoken"


def test_an_unknown_host_is_refused(client, db):
    response = client.get(SIGN_IN, HTTP_HOST="attacker.example")
    assert response.status_code == 400
    assert "Sorry, there is a problem with that request" in response.text


# Sign-in throttling (django-axes)


def test_the_tenth_failure_locks_that_username_from_that_address(client, db):
    UserFactory(username="ann")
    for _ in range(9):
        response = sign_in(client, "ann", "wrong password")
        assert response.status_code == 200
        assert "Enter a correct username and password" in response.text
    locked = sign_in(client, "ann", "wrong password")
    assert locked.status_code == 429
    assert "Sign-in locked for 15 minutes" in locked.text
    # Even the right password is refused during the lockout...
    assert sign_in(client, "ann").status_code == 429
    # ...and it ends by itself.
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=16)):
        assert sign_in(client, "ann").status_code == 302


def test_a_lockout_never_locks_other_people_in_the_same_office(client, db):
    UserFactory(username="ann")
    UserFactory(username="bob")
    for _ in range(10):
        sign_in(client, "ann", "wrong password")
    assert sign_in(client, "ann").status_code == 429
    # Bob, behind the same office address, signs in.
    assert sign_in(Client(), "bob").status_code == 302
    # Ann from another address (working from home) signs in.
    assert sign_in(Client(), "ann", address="10.9.9.9").status_code == 302


def test_a_successful_sign_in_resets_the_count(client, db):
    UserFactory(username="ann")
    for _ in range(9):
        sign_in(client, "ann", "wrong password")
    assert sign_in(client, "ann").status_code == 302
    client.post(reverse("sign-out"))
    for _ in range(9):
        assert sign_in(client, "ann", "wrong password").status_code == 200


# Wrong current passwords on the password page count like wrong sign-ins

NEW_PASSWORD = "a brand new passphrase for ann"


def change_password(client, old, address="10.0.0.1"):
    return client.post(
        reverse("password_change"),
        {"old_password": old, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        REMOTE_ADDR=address,
    )


def test_wrong_current_passwords_lock_like_sign_in_and_sign_the_user_out(client, db):
    ann = UserFactory(username="ann")
    client.force_login(ann)
    for _ in range(9):
        response = change_password(client, "wrong password")
        assert response.status_code == 200
        assert "Your old password was entered incorrectly" in response.text
    locked = change_password(client, "wrong password")
    assert locked.status_code == 429
    assert "Sign-in locked for 15 minutes" in locked.text
    # Signed out: the session that guessed is over...
    assert client.get(reverse("password_change")).status_code == 302
    # ...signing in again as ann from there is locked too, and nothing changed.
    assert sign_in(client, "ann").status_code == 429
    ann.refresh_from_db()
    assert ann.check_password(PASSWORD)
    # Other people, and ann elsewhere, are not affected.
    assert sign_in(Client(), "ann", address="10.9.9.9").status_code == 302


def test_changing_address_does_not_escape_the_password_page_limit(client, db):
    ann = UserFactory(username="ann")
    client.force_login(ann)
    statuses = [change_password(client, "wrong", f"10.1.0.{n}").status_code for n in range(10)]
    assert statuses == [200] * 9 + [429]
    assert client.get(reverse("password_change")).status_code == 302


def test_the_right_current_password_still_changes_it_after_a_few_wrong_ones(client, db):
    ann = UserFactory(username="ann")
    client.force_login(ann)
    for _ in range(3):
        change_password(client, "wrong password")
    assert change_password(client, PASSWORD).status_code == 302
    ann.refresh_from_db()
    assert ann.check_password(NEW_PASSWORD)


# Sessions


def session_key(client):
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def test_signing_in_gives_a_new_session_key(client, db):
    UserFactory(username="ann")
    session = client.session
    session["seen_sign_in_page"] = True
    session.save()
    before = session_key(client)
    assert sign_in(client, "ann").status_code == 302
    assert session_key(client) != before
    assert not Session.objects.filter(session_key=before).exists()


def test_a_session_ends_after_30_minutes_idle(client, board_member):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.force_login(board_member)
    with time_machine.travel(start + datetime.timedelta(minutes=29)):
        assert client.get(reverse("actions:list")).status_code == 200
    # Each request renews the idle limit...
    with time_machine.travel(start + datetime.timedelta(minutes=58)):
        assert client.get(reverse("actions:list")).status_code == 200
    # ...but 31 minutes of nothing ends the session.
    with time_machine.travel(start + datetime.timedelta(minutes=58 + 31)):
        response = client.get(reverse("actions:list"))
    assert response.status_code == 302
    assert response["Location"].startswith(SIGN_IN)


def test_stay_signed_in_renews_the_idle_limit(client, board_member):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.force_login(board_member)
    with time_machine.travel(start + datetime.timedelta(minutes=28)):
        response = client.get(reverse("keep-alive"))
        assert response.status_code == 204
        assert "no-store" in response["Cache-Control"]
    with time_machine.travel(start + datetime.timedelta(minutes=28 + 29)):
        assert client.get(reverse("actions:list")).status_code == 200


def test_signed_in_pages_carry_the_timeout_warning(client, board_member):
    client.force_login(board_member)
    page = client.get(reverse("actions:list")).text
    assert 'role="alertdialog"' in page
    assert 'data-session-seconds="1800"' in page and 'data-warning-seconds="120"' in page
    assert "Stay signed in" in page


def test_a_session_ends_12_hours_after_sign_in_however_busy(client, board_member):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.force_login(board_member)
    for minutes in range(20, 12 * 60, 20):
        with time_machine.travel(start + datetime.timedelta(minutes=minutes)):
            assert client.get(reverse("actions:list")).status_code == 200, minutes
    with time_machine.travel(start + datetime.timedelta(hours=12, minutes=1)):
        response = client.get(reverse("actions:list"))
    assert response.status_code == 302
    assert response["Location"].startswith(SIGN_IN)


def test_a_deactivated_user_is_signed_out_at_the_next_request(client, board_member):
    client.force_login(board_member)
    board_member.is_active = False
    board_member.save()
    response = client.get(reverse("actions:list"))
    assert response.status_code == 302
    assert response["Location"].startswith(SIGN_IN)


# CSRF


def test_a_post_without_its_csrf_token_stores_nothing(officer, owned_action, caplog):
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer)
    response = client.post(
        reverse("actions:rating-create", args=[owned_action.pk]),
        {"month": "2018-07", "rating": "amber", "commentary": "Moving", "evidence": ""},
    )
    assert response.status_code == 403
    assert "Your form has expired" in response.text
    assert "Nothing has been saved" in response.text
    assert not Rating.objects.exists()
    assert "CSRF failure" in caplog.text


# Passwords


@pytest.mark.parametrize(
    "password, message",
    [
        ("short pass", "at least 12 characters"),
        ("password1234", "too common"),
        ("123456789012345", "entirely numeric"),
    ],
)
def test_weak_passwords_are_refused_with_a_clear_message(password, message, db):
    with pytest.raises(ValidationError) as refused:
        validate_password(password)
    assert any(message in text for text in refused.value.messages)


def test_a_long_passphrase_of_any_composition_is_accepted(db):
    validate_password("correct horse battery staple, and a river in Oxfordshire " * 2)


def test_the_password_fields_allow_paste_and_password_managers(client, board_member):
    client.force_login(board_member)
    page = client.get(reverse("password_change")).text
    assert 'autocomplete="current-password"' in page
    assert page.count('autocomplete="new-password"') == 2
    assert "onpaste" not in page and "maxlength" not in page


@pytest.fixture
def production_hashers(settings):
    from wsoa_tracker import settings as production

    settings.PASSWORD_HASHERS = production.PASSWORD_HASHERS


def test_passwords_are_hashed_with_argon2id_at_owasp_strength(production_hashers):
    from django.contrib.auth.hashers import make_password

    assert make_password(PASSWORD).startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")


def test_an_older_pbkdf2_hash_is_upgraded_at_sign_in(client, db, production_hashers):
    from django.contrib.auth.hashers import make_password

    user = UserFactory(username="long-serving")
    user.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    user.save()
    assert sign_in(client, "long-serving").status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$")
