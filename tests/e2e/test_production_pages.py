"""The pages production adds, and the CSP, in a real browser: the sign-in lockout, the
error pages, and the admin screens working under a policy with no inline script."""

import datetime
import re
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from actions import roles
from actions.models import Action
from tests.factories import UserFactory
from tests.second_factor import enrol_for_browser, give_second_factor_in_browser

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "a long test passphrase"


def sign_in(page, live_server, username, password=PASSWORD):
    """Password, then (if it was right) the code from the person's authenticator app."""
    enrol_for_browser(username)
    page.goto(live_server.url + reverse("sign-in"))
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    give_second_factor_in_browser(page, username)


def test_ten_failed_sign_ins_lock_that_username_with_a_clear_page(page, live_server, visit):
    UserFactory(username="ann", role=roles.BOARD_MEMBER)
    for _ in range(9):
        sign_in(page, live_server, "ann", "wrong password")
        expect(page).to_have_title(re.compile("^Error: Sign in"))
    sign_in(page, live_server, "ann", "wrong password")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign-in locked for 15 minutes")
    visit.check("locked-out")


def serve(html):
    def fulfil(route):
        route.fulfill(body=html, content_type="text/html")

    return fulfil


def test_the_error_pages_are_styled_and_accessible(page, live_server, visit):
    call_command("load_record", stdout=StringIO())
    UserFactory(username="board", role=roles.BOARD_MEMBER)
    sign_in(page, live_server, "board")
    page.goto(live_server.url + "/no-such-page/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    visit.check("not-found")
    action = Action.objects.order_by("pk").first()
    page.goto(live_server.url + reverse("actions:rating-create", args=[action.pk]))
    expect(page.get_by_role("heading", level=1)).to_contain_text("You do not have permission")
    visit.check("forbidden")
    # The 500 and 503 pages, as the error handler renders them, served from the site.
    for template, name in (("500.html", "problem"), ("503.html", "unavailable")):
        html = render_to_string(template, {"reference": "3F9A0C1B"})
        page.route(f"**/{name}", serve(html))
        page.goto(f"{live_server.url}/{name}")
        expect(page.get_by_text("3F9A0C1B")).to_be_visible()
        visit.check(name)


def test_the_admin_works_under_the_content_security_policy(page, live_server, visit):
    call_command("load_record", stdout=StringIO())
    UserFactory(username="admin-user", role=roles.ADMINISTRATOR, is_staff=True)
    sign_in(page, live_server, "admin-user")
    action = Action.objects.order_by("pk").first()
    for url in (
        reverse("admin:index"),
        reverse("admin:actions_action_change", args=[action.pk]),
        reverse("admin:actions_rating_changelist"),
        reverse("admin:actions_action_history", args=[action.pk]),
        reverse("admin:auth_user_changelist"),
    ):
        page.goto(live_server.url + url)
        expect(page.locator("#site-name")).to_be_visible()
        page.screenshot(path=f"test-artifacts/admin-csp-{url.strip('/').replace('/', '-')}.png")
    assert visit.csp_violations == []


def test_a_user_is_warned_before_the_idle_limit_and_can_stay_signed_in(page, live_server, visit):
    UserFactory(username="board", role=roles.BOARD_MEMBER)
    page.clock.install()  # the page's timers run on a clock the test moves
    sign_in(page, live_server, "board")
    page.goto(live_server.url + reverse("password_change"))
    warning = page.get_by_role("alertdialog", name="You are about to be signed out")
    page.clock.fast_forward("27:50")
    expect(warning).to_be_hidden()
    page.clock.fast_forward("00:20")  # 28 minutes: two minutes before the idle limit
    expect(warning).to_be_visible()
    expect(page.get_by_role("button", name="Stay signed in")).to_be_focused()
    visit.check("timeout-warning")
    with page.expect_response(lambda response: "keep-alive" in response.url) as kept:
        page.get_by_role("button", name="Stay signed in").click()
    assert kept.value.status == 204
    expect(warning).to_be_hidden()
    # Nothing done for another 30 minutes (on the server's clock too): the page goes to
    # the sign-in page by itself.
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=31)):
        page.clock.fast_forward("30:01")
        expect(page).to_have_title(re.compile("^Sign in"))
