"""Your messages in the browser: an officer's update reaches the chair through the local
GOV.UK Notify stand-in, and the chair reads it on "Your messages", reached from the
navigation, at 320 and 1280 px, checked with axe-core."""

import datetime

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from actions.models import Notification, NotificationStatus
from actions.services import rating_record
from tests.e2e.conftest import Visit
from tests.e2e.test_officer_journey import sign_in
from tests.e2e.test_small_screens import on_screen

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("width", [320, 1280])
def test_the_chair_reads_the_message_an_update_sent_them(
    browser, live_server, notify_stand_in, settings, officer, owned_action, approver, width
):
    settings.SITE_URL = live_server.url
    rating_record(
        action=owned_action,
        month=datetime.date(2018, 7, 1),
        user=officer,
        rating="amber",
        commentary="Moving",
        evidence="Minutes",
        evidence_links="",
    )
    (sent,) = notify_stand_in.messages  # delivered once the save committed
    assert sent["email_address"] == approver.email
    Notification.objects.create(
        user=approver,
        kind="escalation",
        subject="WSOA Tracker: 1 action still overdue",
        body="An older message that could not be sent.",
        link=live_server.url + reverse("actions:needs-attention"),
        key="older",
        status=NotificationStatus.FAILED,
        last_error="400 ValidationError: email_address Not a valid email address",
        created_at=datetime.datetime(2026, 1, 5, 9, tzinfo=datetime.UTC),
    )
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    visit = Visit(page, f"messages-{width}")
    sign_in(page, live_server, "chair")
    if width < 641:
        page.get_by_role("button", name="Menu").click()
    page.get_by_role("link", name="Your messages").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Messages sent to you")
    newest = page.get_by_role("heading", level=2).first
    expect(newest).to_contain_text(f"{owned_action.code} July 2018 awaits your approval")
    expect(page.locator(".govuk-tag").first).to_have_text("Sent")
    expect(page.get_by_text("Could not be sent", exact=True)).to_be_visible()
    visit.check("messages")
    page.get_by_text("Read the message").first.click()
    body = page.locator(".app-message-body").first
    expect(body).to_contain_text("has submitted an update")
    on_screen(page, body, width)
    visit.check("message-open")
    page.get_by_role("link", name="Open the page it is about").first.click()
    expect(page.get_by_role("button", name="Save decision")).to_be_visible()
    context.close()
