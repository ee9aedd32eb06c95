"""Signing in with the second factor in tests: an authenticator app for a user, the code it
shows now (computed as the app would, django_otp.oath.totp), and a test client's session
verified as if the code had been entered. `Client.force_login` does that too (see
tests/conftest.py), so that tests signed in by force are signed in as the site requires;
`force_login_password_only` is the password step alone."""

from django.contrib.auth import get_user_model
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

_force_login = Client.force_login


def authenticator_for(user):
    """The user's confirmed authenticator app, set up now if they have none."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="Authenticator app")


def code_now(device, step_ahead=0):
    """The six digits the app shows now (or `step_ahead` 30-second steps later)."""
    device.refresh_from_db()
    drift = device.drift + step_ahead
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, drift):06d}"


def fresh_code(username):
    """A code the device has not yet accepted, for a browser test that signs in as the
    same person more than once within 30 seconds: the app would show the next one then."""
    device = authenticator_for(get_user_model().objects.get(username=username))
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
    return code_now(device)


def verify_session(client, user):
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = authenticator_for(user).persistent_id
    session.save()


def force_login_with_second_factor(self, user, backend=None):
    _force_login(self, user, backend)
    verify_session(self, user)


def force_login_password_only(client, user):
    _force_login(client, user)
    session = client.session
    session.pop(DEVICE_ID_SESSION_KEY, None)  # Django keeps it if the same user signs in
    session.save()


def give_second_factor_in_browser(page, username):
    """After the password step in the browser: the code page, if the sign-in succeeded."""
    import re

    from playwright.sync_api import expect

    expect(page).to_have_title(re.compile(r"^(Enter the code|Error: |Sign-in locked)"))
    if not page.title().startswith("Enter the code"):
        return
    page.get_by_label("Code", exact=True).fill(fresh_code(username))
    page.get_by_role("button", name="Continue").click()
    expect(page).not_to_have_title("Enter the code from your authenticator app – WSOA Tracker")


def enrol_for_browser(username):
    """A browser test's user has set up their app before (the enrolment test does it)."""
    authenticator_for(get_user_model().objects.get(username=username))
