"""The public pages and the statements as a parent or anyone would meet them: on the real
record with nothing published, at 320 and 1280 px, with no sideways scrolling and axe-core
clean; reached from the sign-in page and the footer."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from tests.e2e.conftest import ARTEFACTS, Visit

pytestmark = pytest.mark.django_db(transaction=True)

PAGES = [
    ("public-progress", reverse("public-progress"), "How the work for children"),
    ("public-finding-b", "/progress/2017-joint-inspection/B/", "Significant weakness B"),
    ("public-finding-apa3", "/progress/2023-area-send-inspection/APA3/", "APA3"),
    ("open-data", reverse("open-data"), "Open data"),
    ("accessibility", reverse("accessibility"), "Accessibility statement"),
    ("privacy", reverse("privacy"), "Privacy notice"),
    ("cookies", reverse("cookies"), "Cookies"),
]


@pytest.mark.parametrize("width", [320, 1280])
def test_the_public_pages_and_statements_read_well_at_any_width(browser, live_server, width):
    call_command("load_record", stdout=StringIO())
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    visit = Visit(page, f"public-pages-{width}")
    page.goto(live_server.url + reverse("sign-in"))
    page.get_by_role("main").get_by_role(
        "link", name="how the work for children and young people with SEND is going"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("How the work for children")
    for name, url, heading in PAGES:
        page.goto(live_server.url + url)
        expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
        page.screenshot(path=str(ARTEFACTS / f"public-pages-{width}-{name}-top.png"))
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= width, f"{url} scrolls sideways ({scroll_width}px)"
        visit.check(name)
    footer = page.locator("footer")
    for link in ("Accessibility statement", "Privacy notice", "Cookies", "Open data"):
        expect(footer.get_by_role("link", name=link)).to_be_visible()
    footer.get_by_role("link", name="How the work for SEND is going").click()
    expect(page).to_have_url(live_server.url + reverse("public-progress"))
    context.close()
