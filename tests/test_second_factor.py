"""Two-factor sign-in as people meet it: setting up an authenticator app at the first
sign-in, a code at every sign-in after, recovery codes that work once, wrong codes refused
and throttled, and no signed-in page (the admin above all) before the second factor."""

import datetime
import re

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from actions import roles
from tests.actions.test_permissions import LOGIN, MATRIX, WRITES, stored, url_for
from tests.factories import UserFactory
from tests.factories.users import PASSWORD
from tests.second_factor import authenticator_for, code_now, force_login_password_only
from wsoa_tracker.admin_site import TrackerAdminSite
from wsoa_tracker.second_factor import needs_second_factor

pytestmark = pytest.mark.django_db

SIGN_IN, CODE, SET_UP = reverse("sign-in"), reverse("second-factor"), reverse("second-factor-setup")


def sign_in(client, username, next_url=None):
    url = SIGN_IN + (f"?next={next_url}" if next_url else "")
    return client.post(url, {"username": username, "password": PASSWORD}, follow=True)


def enter(client, code, url=CODE):
    return client.post(url, {"code": code}, follow=True)


def title(response):
    return re.search(r"<title>(.*?)</title>", response.text, re.S).group(1).strip()


def secret_on(page):
    """The key the set-up page shows as text (what someone types into the app)."""
    from base64 import b32decode

    secret = re.search(r'<code class="app-secret" id="secret">([A-Z2-7 ]+)</code>', page).group(1)
    return b32decode(secret.replace(" ", ""))


def codes_on(page):
    return re.findall(r"<li><code>([a-z2-7]{8})</code></li>", page)


# The rule


def test_every_local_account_and_every_administrator_needs_a_second_factor(db):
    from django.contrib.auth.models import AnonymousUser

    assert needs_second_factor(UserFactory(officer=True))
    assert needs_second_factor(UserFactory(board_member=True))
    assert needs_second_factor(UserFactory(administrator=True))
    assert needs_second_factor(UserFactory(is_superuser=True))
    assert needs_second_factor(UserFactory())  # no role: still a local account
    assert not needs_second_factor(AnonymousUser())


# Enrolment at the first sign-in


def test_the_first_sign_in_sets_up_an_authenticator_app_then_shows_ten_recovery_codes(client):
    UserFactory(username="ann", board_member=True)
    page = sign_in(client, "ann", next_url=reverse("findings:list"))
    assert page.redirect_chain[-1][0].startswith(SET_UP)
    assert title(page).startswith("Set up your authenticator app")
    assert "<svg" in page.text and 'aria-label="QR code' in page.text
    key = secret_on(page.text)
    # Not set up yet: no signed-in page.
    assert client.get(reverse("actions:list"))["Location"].startswith(SET_UP)

    wrong = enter(client, "000000", page.redirect_chain[-1][0])
    assert title(wrong).startswith("Error: Set up your authenticator app")
    assert "There is a problem" in wrong.text
    assert "The code is not right" in wrong.text
    assert not TOTPDevice.objects.filter(confirmed=True).exists()

    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=3)):
        done = enter(client, f"{totp(key):06d}", page.redirect_chain[-1][0])
        assert title(done).startswith("Save your recovery codes")
        codes = codes_on(done.text)
        assert len(codes) == 10 and len(set(codes)) == 10
        assert f'href="{reverse("findings:list")}"' in done.text
        assert client.get(reverse("findings:list")).status_code == 200
    ann = get_user_model().objects.get(username="ann")
    assert TOTPDevice.objects.get(user=ann).confirmed
    assert sorted(StaticToken.objects.filter(device__user=ann).values_list("token", flat=True)) == (
        sorted(codes)
    )


def test_the_set_up_page_shows_the_same_key_until_it_is_confirmed(client):
    UserFactory(username="ann", board_member=True)
    first = secret_on(sign_in(client, "ann").text)
    assert secret_on(client.get(SET_UP).text) == first
    assert TOTPDevice.objects.count() == 1


def test_a_password_alone_never_sets_up_a_second_app(client):
    ann = UserFactory(username="ann", board_member=True)
    authenticator_for(ann)
    page = sign_in(client, "ann")
    assert title(page).startswith("Enter the code from your authenticator app")
    response = client.get(SET_UP)
    assert response.status_code == 302 and response["Location"].startswith(CODE)
    assert TOTPDevice.objects.filter(user=ann).count() == 1


# A code at each sign-in


def test_a_sign_in_needs_the_code_and_a_wrong_code_is_refused_with_a_clear_error(client):
    ann = UserFactory(username="ann", board_member=True)
    device = authenticator_for(ann)
    page = sign_in(client, "ann", next_url=reverse("findings:list"))
    assert page.redirect_chain[-1][0].startswith(CODE)
    code_page = page.redirect_chain[-1][0]

    wrong = enter(client, "123456" if code_now(device) != "123456" else "654321", code_page)
    assert title(wrong).startswith("Error: Enter the code")
    assert '<a href="#id_code">The code is not right.' in wrong.text
    assert client.get(reverse("findings:list"))["Location"].startswith(CODE)
    empty = enter(client, "", code_page)
    assert "Enter the code" in empty.text and title(empty).startswith("Error:")

    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=3)):
        right = enter(client, code_now(device), code_page)
        assert right.redirect_chain[-1][0] == reverse("findings:list")
        assert right.status_code == 200


def test_a_code_already_used_is_refused(client):
    ann = UserFactory(username="ann", board_member=True)
    device = authenticator_for(ann)
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        code = code_now(device)
        sign_in(client, "ann")
        assert enter(client, code).redirect_chain[-1][0] == reverse("actions:list")
    other = Client()
    with time_machine.travel(now + datetime.timedelta(seconds=5), tick=False):
        sign_in(other, "ann")
        assert "The code is not right" in enter(other, code).text


def test_a_recovery_code_works_once_only(client):
    ann = UserFactory(username="ann", board_member=True)
    authenticator_for(ann)
    from wsoa_tracker.second_factor import recovery_codes_replace

    codes = recovery_codes_replace(user=ann)
    sign_in(client, "ann")
    assert enter(client, codes[0].upper()).redirect_chain[-1][0] == reverse("actions:list")
    client.post(reverse("sign-out"))

    sign_in(client, "ann")
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=2)):
        again = enter(client, codes[0])
        assert "The code is not right" in again.text
        assert client.get(reverse("actions:list"))["Location"].startswith(CODE)
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=5)):
        assert enter(client, codes[1]).redirect_chain[-1][0] == reverse("actions:list")
    assert StaticToken.objects.filter(device__user=ann).count() == 8


# Throttling and locking


def test_after_a_wrong_code_the_device_waits_before_it_tries_another(client):
    ann = UserFactory(username="ann", board_member=True)
    device = authenticator_for(ann)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        sign_in(client, "ann")
        enter(client, "000001")
        # Even the right code is not tried while the device waits (1 s, then 2, 4 ...).
        waiting = enter(client, code_now(device))
        assert "Too many wrong codes. Wait 1 second, then enter a new code" in waiting.text
        assert client.get(reverse("actions:list"))["Location"].startswith(CODE)
    with time_machine.travel(start + datetime.timedelta(seconds=1, milliseconds=100), tick=False):
        enter(client, "000002")
        assert "Wait 2 seconds" in enter(client, "000003").text
    with time_machine.travel(start + datetime.timedelta(seconds=4), tick=False):
        assert enter(client, code_now(device)).redirect_chain[-1][0] == reverse("actions:list")
    device.refresh_from_db()
    assert device.throttling_failure_count == 0


def test_ten_wrong_codes_sign_the_person_out_and_lock_sign_in(client):
    ann = UserFactory(username="ann", board_member=True)
    device = authenticator_for(ann)
    moment = timezone.now()
    with time_machine.travel(moment, tick=False):
        sign_in(client, "ann")
    for attempt in range(10):
        moment += datetime.timedelta(seconds=2**attempt + 1)
        with time_machine.travel(moment, tick=False):
            response = client.post(CODE, {"code": "999999"})
        if attempt < 9:
            assert response.status_code == 200, attempt
            assert "The code is not right" in response.text
    assert response.status_code == 429
    assert "Sign-in locked for 15 minutes" in response.text
    with time_machine.travel(moment + datetime.timedelta(seconds=1), tick=False):
        # Signed out, and the password alone no longer signs in from here.
        assert client.get(CODE)["Location"].startswith(SIGN_IN)
        assert client.post(SIGN_IN, {"username": "ann", "password": PASSWORD}).status_code == 429
    device.refresh_from_db()
    assert device.throttling_failure_count == 10


# Nothing signed-in before the second factor


@pytest.mark.parametrize(
    "case",
    [
        case
        for case, expected in MATRIX.items()
        if expected[0] == LOGIN and "second-factor" not in case[0]
    ],
    ids=lambda case: f"{case[0]}-{case[1]}",
)
def test_every_signed_in_page_waits_for_the_second_factor(
    client, owned_action, june_rating, administrator, case
):
    name, method, data = case
    force_login_password_only(client, administrator)
    url = url_for(name, owned_action, june_rating)
    before = stored(owned_action)
    response = getattr(client, method)(url, WRITES.get(data, {}))
    assert response.status_code == 302
    assert response["Location"].startswith(SET_UP + "?next=")
    assert stored(owned_action) == before


@pytest.mark.parametrize(
    "url",
    [
        reverse("admin:index"),
        reverse("admin:auth_user_changelist"),
        reverse("admin:actions_rating_changelist"),
    ],
)
def test_the_admin_is_unreachable_without_the_second_factor(client, administrator, url):
    authenticator_for(administrator)
    force_login_password_only(client, administrator)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(CODE + "?next=")
    client.force_login(administrator)  # with the second factor
    assert client.get(url).status_code == 200


def test_the_admin_site_itself_refuses_a_session_without_the_second_factor(administrator):
    request = RequestFactory().get("/admin/")
    request.user = administrator
    administrator.is_verified = lambda: False
    assert not TrackerAdminSite().has_permission(request)
    administrator.is_verified = lambda: True
    assert TrackerAdminSite().has_permission(request)


def test_signing_out_works_before_the_second_factor(client):
    UserFactory(username="ann", board_member=True)
    sign_in(client, "ann")
    response = client.post(reverse("sign-out"))
    assert response.status_code == 302 and response["Location"] == SIGN_IN
    assert client.get(CODE)["Location"].startswith(SIGN_IN)


def test_local_accounts_are_told_to_set_up_an_app_at_their_first_sign_in(settings, capsys):
    settings.DEBUG = True
    call_command("create_local_accounts")
    out = capsys.readouterr().out
    assert "authenticator app" in out
    user = get_user_model().objects.get(username="local-administrator")
    assert roles.ADMINISTRATOR in user.groups.values_list("name", flat=True)


def test_the_code_page_goes_on_only_to_a_page_of_this_site(db):
    ann = UserFactory(username="ann", board_member=True)
    device = authenticator_for(ann)
    for next_url in ("https://elsewhere.example/", "//elsewhere.example/", "0", "home"):
        client = Client()
        force_login_password_only(client, ann)
        TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
        response = client.post(f"{CODE}?next={next_url}", {"code": code_now(device)})
        assert response.status_code == 302
        assert response["Location"] == reverse("home"), next_url
