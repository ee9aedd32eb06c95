"""An officer signs in, finds an action, records a rating (after a validation error),
corrects it, and sees both versions in the history: in a real browser, with axe-core."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from actions import roles
from actions.models import Action, OwnerRole, RoleHolding
from tests.factories import UserFactory
from tests.helpers import reopen_the_wsoa
from tests.second_factor import enrol_for_browser, give_second_factor_in_browser

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "a long test passphrase"


@pytest.fixture
def officer(db):
    call_command("load_record", stdout=StringIO())
    user = UserFactory(
        username="sen-manager", role=roles.OFFICER, first_name="Sam", last_name="Jones"
    )
    RoleHolding.objects.create(user=user, role=OwnerRole.objects.get(title="SEN Manager"))
    return user


def sign_in(page, live_server, username):
    """Password, then the code from the authenticator app the person set up before."""
    enrol_for_browser(username)
    page.goto(live_server.url + reverse("actions:list"))
    expect(page).to_have_title(re.compile("^Sign in"))
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_title(re.compile("^Enter the code from your authenticator app"))
    give_second_factor_in_browser(page, username)


def test_an_officer_records_and_corrects_a_monthly_rating(page, live_server, officer, visit):
    reopen_the_wsoa()  # closed on 20 November 2019: an administrator reopens it
    page.goto(live_server.url)
    visit.check("sign-in")

    page.get_by_label("Username").fill("sen-manager")
    page.get_by_label("Password").fill("wrong password")
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_title(re.compile("^Error: Sign in"))
    visit.check("sign-in-error")

    sign_in(page, live_server, "sen-manager")
    expect(page.get_by_role("heading", level=1)).to_have_text("My actions")
    visit.check("my-actions")

    action = Action.objects.held_by(officer).in_plan_order().first()
    page.get_by_role("link", name=re.compile(rf"^{re.escape(action.code)} ")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Action {action.code}")
    visit.check("action")

    page.get_by_role("button", name="Record an update").click()
    expect(page).to_have_title(re.compile("^Record an update"))
    visit.check("form-blank")

    page.get_by_label("Month").select_option(label="July 2018")
    page.get_by_label("Amber – progressing").check()
    page.get_by_role("button", name="Save update").click()
    expect(page).to_have_title(re.compile("^Error: Record an update"))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Enter commentary explaining the red or amber rating")
    expect(page.get_by_label("Amber – progressing")).to_be_checked()
    visit.check("form-errors")

    page.get_by_label("Commentary").fill("Guidance drafted with parents; sign-off due in August.")
    page.get_by_role("button", name="Save update").click()
    expect(page.get_by_role("alert")).to_contain_text("Update recorded")
    expect(page.get_by_role("row", name=re.compile("^July 2018"))).to_contain_text("Amber")
    visit.check("recorded")

    page.get_by_role("link", name="Correct the rating for July 2018").click()
    page.get_by_label("Green – completed / embedding").check()
    page.get_by_label("Commentary").fill("Guidance signed off on 30 July.")
    page.get_by_role("button", name="Save update").click()
    expect(summary).to_contain_text("Enter the evidence")
    expect(summary).to_contain_text("Enter the reason for the correction")
    visit.check("correction-errors")

    page.get_by_label("Evidence", exact=True).fill("Minutes of the board, 30 July 2018")
    page.get_by_label("Why are you correcting this rating?").fill("Signed off after I rated it")
    page.get_by_role("button", name="Save update").click()
    expect(page.get_by_role("alert")).to_contain_text("Update corrected")
    history = page.get_by_role("region", name="History of changes")
    expect(history).to_contain_text("Corrected the rating for July 2018")
    expect(history).to_contain_text("from “Amber” to “Green”")
    expect(history).to_contain_text("Signed off after I rated it")
    expect(history).to_contain_text("Recorded the rating for July 2018")
    expect(history).to_contain_text("Sam Jones")
    visit.check("corrected")


def test_pages_reflow_at_320_pixels(page, live_server, officer, visit):
    page.set_viewport_size({"width": 320, "height": 640})
    sign_in(page, live_server, "sen-manager")
    for url in (
        reverse("actions:list"),
        Action.objects.held_by(officer).first().get_absolute_url(),
    ):
        page.goto(live_server.url + url)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 320, f"{url} scrolls sideways at 320px ({width}px)"
        visit.check("narrow")


def test_a_board_member_reads_every_action_and_cannot_update(page, live_server, officer, visit):
    UserFactory(username="board-member", role=roles.BOARD_MEMBER)
    sign_in(page, live_server, "board-member")
    expect(page.get_by_role("heading", level=1)).to_have_text("Actions")
    page.get_by_label("Owner role").select_option(label="SEN Manager")
    page.get_by_role("button", name="Filter actions").click()
    visit.check("board-filtered")
    page.get_by_role("link", name=re.compile(r"^C3\.3 ")).click()
    expect(page.get_by_role("button", name="Record an update")).to_have_count(0)
    visit.check("board-action")
    page.goto(live_server.url + reverse("actions:rating-create", args=[page.url.split("/")[-2]]))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "You do not have permission to see this page"
    )
    visit.check("forbidden")


@pytest.mark.parametrize("width", [1280, 320])
def test_the_closed_wsoa_reads_as_a_record(page, live_server, officer, visit, width):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, live_server, "sen-manager")
    expect(page.get_by_role("heading", level=1)).to_have_text("My actions")
    expect(page.get_by_text("Closed on 20 November 2019; superseded by").first).to_be_visible()
    expect(page.locator(".app-flags .govuk-tag")).to_have_count(0)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    visit.check(f"my-actions-closed-{width}")
    action = Action.objects.held_by(officer).in_plan_order().first()
    page.goto(live_server.url + action.get_absolute_url())
    expect(page.get_by_text("Closed on 20 November 2019; superseded by")).to_be_visible()
    expect(page.get_by_role("button", name="Record an update")).to_have_count(0)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    visit.check(f"action-closed-{width}")
    page.goto(live_server.url + reverse("actions:rating-create", args=[action.pk]))
    expect(page.get_by_role("heading", level=1)).to_have_text("WSOA takes no more updates")
    visit.check(f"refused-{width}")
