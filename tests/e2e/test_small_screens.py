"""At 320 px, what a person must do is on screen without sideways scrolling: "Correct and
resubmit" on My actions, "Approve or return" on Actions and on the approvals list,
the flags, and the approval form with its context; checked with axe-core at 320 and
1280 px. The glossary is there signed out, from the footer."""

import datetime
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from actions import roles
from actions.models import Action, OwnerRole, RoleHolding
from tests.e2e.conftest import Visit
from tests.e2e.test_officer_journey import sign_in
from tests.factories import ApproverFactory, RatingFactory, UserFactory
from tests.helpers import reopen_the_wsoa

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def updates(db):
    """The real record; an officer's update awaiting the chair's approval, and one the chair
    returned."""
    call_command("load_record", stdout=StringIO())
    reopen_the_wsoa()  # closed on 20 November 2019: an administrator reopens it
    officer = UserFactory(
        username="sen-manager", role=roles.OFFICER, first_name="Sam", last_name="Jones"
    )
    RoleHolding.objects.create(user=officer, role=OwnerRole.objects.get(title="SEN Manager"))
    chair = UserFactory(
        username="chair", role=roles.BOARD_MEMBER, first_name="Chris", last_name="Chair"
    )
    ApproverFactory(user=chair)
    first, second = Action.objects.held_by(officer).in_plan_order()[:2]
    awaiting = RatingFactory(
        action=first,
        month=datetime.date(2018, 8, 1),
        rating="red",
        commentary="The panel did not meet in August.",
        evidence="Panel calendar",
        evidence_links="https://example.org/panel-calendar",
        recorded_by=officer,
        submitted=True,
    )
    returned = RatingFactory(
        action=second,
        month=datetime.date(2018, 7, 1),
        rating="green",
        commentary="Done.",
        evidence="Minutes",
        recorded_by=officer,
        returned=True,
        return_reason="The minutes do not show it agreed",
        decided_by=chair,
    )
    return awaiting, returned


def on_screen(page, locator, width):
    """The element is inside the viewport's width, and the page does not scroll sideways."""
    expect(locator).to_be_visible()
    box = locator.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width, box
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"{page.url} scrolls sideways ({scroll_width}px)"


@pytest.mark.parametrize("width", [320, 1280])
def test_what_each_person_must_do_is_on_screen(browser, live_server, updates, width):
    awaiting, returned = updates
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    visit = Visit(page, f"small-screens-{width}")

    sign_in(page, live_server, "sen-manager")
    expect(page.get_by_role("heading", level=1)).to_have_text("My actions")
    correct = page.get_by_role(
        "link",
        name=f"Correct and resubmit the update to {returned.action.code} for July 2018",
    )
    on_screen(page, correct, width)
    on_screen(page, page.locator("td.app-flags").first, width)
    visit.check("my-actions")
    correct.click()
    expect(page.get_by_text("The minutes do not show it agreed")).to_be_visible()
    on_screen(page, page.get_by_role("button", name="Save update"), width)
    visit.check("correct-returned")
    context.clear_cookies()  # signed out (at 320 px the button is behind the menu)

    sign_in(page, live_server, "chair")
    expect(page.get_by_role("heading", level=1)).to_have_text("Actions")
    expect(page.get_by_text("1 update awaits your approval").first).to_be_attached()
    review = page.get_by_role(
        "link", name=f"Approve or return the update to {awaiting.action.code} for August 2018"
    )
    on_screen(page, review, width)
    on_screen(page, page.locator("td.app-flags").first, width)
    visit.check("actions")

    page.goto(live_server.url + reverse("actions:approvals"))
    approve = page.get_by_role(
        "link",
        name=re.compile(f"Approve or return the update to {re.escape(awaiting.action.code)}"),
    )
    on_screen(page, approve, width)
    visit.check("approvals")

    approve.click()
    expect(page.get_by_text("Change from")).to_be_visible()
    on_screen(
        page, page.get_by_role("link", name=re.compile(f"^Action {awaiting.action.code}:")), width
    )
    on_screen(page, page.get_by_role("button", name="Save decision"), width)
    on_screen(page, page.get_by_role("table"), width)
    visit.check("approval-form")
    context.close()


@pytest.mark.parametrize("width", [320, 1280])
def test_the_glossary_is_reached_from_the_footer_signed_out(browser, live_server, db, width):
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    page.goto(live_server.url + reverse("sign-in"))
    page.get_by_role("link", name="Glossary: the board's words").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Glossary: the board's words")
    on_screen(page, page.get_by_text("Area for priority action", exact=True), width)
    Visit(page, f"glossary-{width}").check("glossary")
    context.close()
