"""Single sign-on in a real browser through the local OpenID Connect provider (tests/idp):
the sign-in page's "Sign in with ..." button, the provider's own sign-in form, and back
signed in with the role the provider's groups give; a person whose groups give no role
sees the refusal page. axe-core checks the tracker's pages on the way."""

import re

import pytest
from allauth.socialaccount.models import SocialApp
from django.contrib.auth import get_user_model
from django.urls import reverse
from playwright.sync_api import expect

from actions import roles
from tests.idp import CLIENT_SECRET, IdentityProvider
from wsoa_tracker.models import IdentityProviderRole

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def council_for_the_browser(live_server):
    """A provider of its own, calling back to the live server's address."""
    provider = IdentityProvider(["council"], live_server.url)
    app = SocialApp.objects.create(
        provider="openid_connect",
        provider_id="council",
        name="Oxfordshire County Council",
        client_id="council",
        secret=CLIENT_SECRET,
        settings={
            "server_url": provider.issuer,
            "scope": ["openid", "email", "profile", "groups"],
        },
    )
    IdentityProviderRole.objects.create(
        provider=app, claim_value="wsoa-officers", role=IdentityProviderRole.Role.OFFICER
    )
    yield provider
    provider.stop()


def sign_in_at_the_council(page, live_server, login):
    page.goto(live_server.url + reverse("sign-in"))
    page.get_by_role("button", name="Sign in with Oxfordshire County Council").click()
    page.locator("input[name=login]").fill(login)
    page.locator("input[name=password]").fill("any password")
    page.locator("button[type=submit]").click()


def test_an_officer_signs_in_through_the_council(page, live_server, visit, council_for_the_browser):
    page.goto(live_server.url + reverse("sign-in"))
    expect(
        page.get_by_role("button", name="Sign in with Oxfordshire County Council")
    ).to_be_visible()
    expect(page.get_by_label("Username")).to_be_visible()  # local accounts still sign in
    visit.check("sign-in-with-providers")
    sign_in_at_the_council(page, live_server, "ann")
    expect(page).to_have_url(re.compile(re.escape(live_server.url + reverse("actions:list"))))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    visit.check("signed-in-through-the-council")
    ann = get_user_model().objects.get(email="ann.officer@council.example")
    assert set(ann.groups.values_list("name", flat=True)) == {roles.OFFICER}


def test_no_mapped_role_shows_whom_to_ask(page, live_server, visit, council_for_the_browser):
    sign_in_at_the_council(page, live_server, "nora")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "You cannot sign in to the tracker yet"
    )
    expect(page.get_by_text("Ask the SEND Programme Board's tracker administrator")).to_be_visible()
    visit.check("refused-no-role")
    assert not get_user_model().objects.filter(email="nora.nobody@council.example").exists()


def test_a_tampered_id_token_shows_that_sign_in_did_not_work(
    page, live_server, visit, council_for_the_browser
):
    council_for_the_browser.tamper("signature")
    sign_in_at_the_council(page, live_server, "ann")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign-in did not work")
    visit.check("refused-bad-id-token")
    assert not get_user_model().objects.filter(email="ann.officer@council.example").exists()
