"""Two-factor sign-in and password reset in a real browser, with axe-core on each new
page: the first sign-in sets up an authenticator app (QR code and key, a wrong code
refused, ten recovery codes), and the next sign-in asks for a code from it; a forgotten
password is reset from the emailed link, which then no longer works."""

import re
from base64 import b32decode

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from playwright.sync_api import expect

from actions import roles
from tests.factories import UserFactory
from tests.factories.users import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def password_step(page, live_server):
    page.goto(live_server.url + reverse("actions:list"))
    page.get_by_label("Username").fill("ann")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_the_first_sign_in_sets_up_an_app_and_the_next_asks_for_its_code(page, live_server, visit):
    UserFactory(username="ann", role=roles.BOARD_MEMBER, first_name="Ann")
    password_step(page, live_server)
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up your authenticator app")
    expect(page.get_by_role("img", name=re.compile("QR code"))).to_be_visible()
    visit.check("set-up")

    page.get_by_label("Code", exact=True).fill("000000")
    page.get_by_role("button", name="Confirm").click()
    expect(page).to_have_title(re.compile("^Error: Set up your authenticator app"))
    expect(page.get_by_role("alert")).to_contain_text("The code is not right")
    visit.check("set-up-wrong-code")

    key = b32decode(page.locator("#secret").inner_text().replace(" ", ""))
    # The device waits a second after a wrong code, as it would for a person.
    with time_machine.travel(timezone.now() + timezone.timedelta(seconds=2)):
        page.get_by_label("Code", exact=True).fill(f"{totp(key):06d}")
        page.get_by_role("button", name="Confirm").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Your authenticator app is set up"
        )
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    visit.check("recovery-codes")
    page.get_by_role("button", name=re.compile("continue")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Actions")

    page.get_by_role("button", name="Sign out").click()
    with time_machine.travel(timezone.now() + timezone.timedelta(seconds=40)):
        password_step(page, live_server)
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Enter the code from your authenticator app"
        )
        visit.check("code")
        page.get_by_label("Code", exact=True).fill(f"{totp(key):06d}")
        page.get_by_role("button", name="Continue").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Actions")


def test_a_forgotten_password_is_reset_from_the_emailed_link(page, live_server, visit):
    from django.core import mail

    from tests.second_factor import authenticator_for, fresh_code

    ann = UserFactory(username="ann", email="ann@example.org", role=roles.BOARD_MEMBER)
    authenticator_for(ann)
    page.goto(live_server.url + reverse("sign-in"))
    page.get_by_role("link", name="Forgotten your password?").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reset your password")
    visit.check("reset")
    page.get_by_role("button", name="Send the link").click()
    expect(page).to_have_title(re.compile("^Error: Reset your password"))
    visit.check("reset-error")
    page.get_by_label("Email address").fill("ann@example.org")
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    visit.check("reset-sent")

    link = re.search(r"https?://\S+/password/reset/\S+/", mail.outbox[0].body).group(0)
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Set a new password")
    visit.check("new-password")
    new = "a new passphrase for ann's account"
    page.get_by_label("New password", exact=True).fill(new)
    page.get_by_label("New password confirmation").fill(new)
    page.get_by_role("button", name="Set password").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your password has been reset")
    visit.check("reset-done")
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("This link no longer works")
    visit.check("link-used")

    page.goto(live_server.url + reverse("sign-in"))
    page.get_by_label("Username").fill("ann")
    page.get_by_label("Password").fill(new)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Enter the code from your authenticator app"
    )
    page.get_by_label("Code", exact=True).fill(fresh_code("ann"))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Actions")
