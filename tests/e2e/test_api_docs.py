"""The API's documentation page in a real browser: Swagger UI (drf-spectacular-sidecar's
static files) works under the CSP with no inline script, and a token pasted into
"Authorize" makes a real call. Not axe-checked: Swagger UI is a third party's page."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.factories import ApiTokenFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_swagger_ui_works_under_the_csp_and_calls_with_a_token(page, live_server):
    violations = []
    page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    token = ApiTokenFactory()
    page.goto(live_server.url + reverse("api:docs"))
    expect(page.get_by_text("/api/v1/plans/{plan}/grid/")).to_be_visible(timeout=20_000)
    page.get_by_role("button", name="Authorize").first.click()
    page.locator(".modal-ux input").first.fill(token.secret)
    page.locator(".modal-ux button.authorize").click()
    page.locator(".modal-ux button.btn-done").click()
    page.locator("#operations-plans-plans_list").click()
    page.get_by_role("button", name="Try it out").click()
    page.get_by_role("button", name="Execute").click()
    expect(
        page.locator(".live-responses-table tr.response .response-col_status").first
    ).to_have_text("200", timeout=20_000)
    assert violations == []
