"""The statements: accessibility (the GOV.UK model), privacy and cookies, there without a
sign-in, linked from every page's footer, their contact details and review dates kept by
administrators in the admin with history, the cookies named from the settings."""

import re

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse
from django.utils.html import strip_tags

from tests.factories import UserFactory
from wsoa_tracker.statements import StatementDetails

STATEMENTS = ["accessibility", "privacy", "cookies"]


def words(response):
    return " ".join(strip_tags(response.content.decode()).split())


@pytest.mark.django_db
@pytest.mark.parametrize("name", STATEMENTS)
def test_each_statement_is_there_signed_out_and_writes_nothing(name):
    response = Client().get(reverse(name))
    assert response.status_code == 200
    assert "Sign out" not in words(response)
    assert not StatementDetails.objects.exists()  # reading the defaults saves nothing
    assert "Set-Cookie" not in response


@pytest.mark.django_db
def test_the_accessibility_statement_follows_the_govuk_model():
    text = words(Client().get(reverse("accessibility")))
    for heading in [
        "How accessible this website is",
        "Feedback and contact information",
        "Reporting accessibility problems with this website",
        "Enforcement procedure",
        "Compliance status",
        "Non-accessible content",
        "Preparation of this accessibility statement",
    ]:
        assert heading in text, heading
    assert "partially compliant with the Web Content Accessibility Guidelines version 2.2" in text
    assert "Equality and Human Rights Commission (EHRC)" in text
    assert "Equality Advisory and Support Service (EASS)" in text
    assert "the admin screens are Django's own administration pages" in text
    assert "PDF board pack" in text and "PDF/UA-1" in text
    assert "axe-core" in text and "320 and 1280 pixels" in text
    assert (
        "This statement was prepared on 2 December 2026. It was last reviewed on 2 December 2026."
        in text
    )


@pytest.mark.django_db
def test_the_privacy_notice_says_who_what_why_how_long_and_your_rights():
    text = words(Client().get(reverse("privacy")))
    assert "The controller is Oxfordshire County Council." in text
    assert "joint controllers" in text
    assert (
        "The lawful basis for this processing is to be confirmed by each data protection officer."
        in text
    )
    for held in (
        "username, first and last name, email address",
        "job roles you hold",
        "failed sign-ins",
    ):
        assert held in text, held
    assert "How long we keep it" in text and "deactivated, not deleted" in text
    assert "History that cannot be rewritten, and putting things right" in text
    assert "rectification" in text
    assert "Information Commissioner's Office (ICO)" in text


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("debug_names", "session", "csrf"),
    [(True, "sessionid", "csrftoken"), (False, "__Host-sessionid", "__Host-csrftoken")],
)
def test_the_cookies_page_names_the_cookies_the_settings_set(debug_names, session, csrf):
    with override_settings(SESSION_COOKIE_NAME=session, CSRF_COOKIE_NAME=csrf):
        page = Client().get(reverse("cookies")).content.decode()
    names = re.findall(r"<dt[^>]*><code>([^<]+)</code></dt>", page)
    assert names == [session, csrf, "messages"]
    assert "strictly necessary" in page


@pytest.mark.django_db
def test_the_cookies_listed_are_the_cookies_the_app_sets(client, board_member):
    """Signing in sets exactly the cookies the page lists (bar the one-off messages one)."""
    listed = re.findall(
        r"<code>([^<]+)</code></dt>", client.get(reverse("cookies")).content.decode()
    )
    client.get(reverse("sign-in"))
    client.post(reverse("sign-in"), {"username": "board", "password": "not-the-password"})
    board_member.set_password("a long enough passphrase")
    board_member.save()
    client.post(reverse("sign-in"), {"username": "board", "password": "a long enough passphrase"})
    assert set(client.cookies) <= set(listed)
    assert {settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME} <= set(client.cookies)


@pytest.mark.django_db
def test_administrators_edit_the_contact_details_and_dates_with_history(client, administrator):
    client.force_login(administrator)
    add = reverse("admin:wsoa_tracker_statementdetails_add")
    data = {
        "controller": "Oxfordshire County Council",
        "joint_controllers": "BOB ICB",
        "contact_email": "send.tracker@example.gov.uk",
        "contact_phone": "01865 000000",
        "data_protection_officer": "dpo@example.gov.uk",
        "reply_within_days": "5",
        "accessibility_prepared_on": "02/12/2026",
        "accessibility_reviewed_on": "03/12/2026",
        "privacy_reviewed_on": "03/12/2026",
        "cookies_reviewed_on": "03/12/2026",
    }
    response = client.post(add, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    details = StatementDetails.objects.get()
    assert details.contact_email == "send.tracker@example.gov.uk"
    text = words(Client().get(reverse("accessibility")))
    assert "send.tracker@example.gov.uk" in text and "within 5 working days" in text
    assert "It was last reviewed on 3 December 2026." in text
    assert "dpo@example.gov.uk" in words(Client().get(reverse("privacy")))
    # One row only: no second one, and it cannot be deleted.
    assert client.get(add).status_code == 403
    delete = reverse("admin:wsoa_tracker_statementdetails_delete", args=[details.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    change = reverse("admin:wsoa_tracker_statementdetails_change", args=[details.pk])
    assert client.post(change, {**data, "contact_phone": "01865 111111"}).status_code == 302
    versions = list(details.history.order_by("history_date"))
    assert [v.contact_phone for v in versions] == ["01865 000000", "01865 111111"]
    assert {v.history_user for v in versions} == {administrator}


@pytest.mark.django_db
def test_a_bad_contact_detail_is_refused_and_nothing_stored(client, administrator):
    client.force_login(administrator)
    response = client.post(
        reverse("admin:wsoa_tracker_statementdetails_add"),
        {
            "controller": "Bad\x0bname",
            "contact_email": "not an email",
            "reply_within_days": "5",
            "accessibility_prepared_on": "02/12/2026",
            "accessibility_reviewed_on": "02/12/2026",
            "privacy_reviewed_on": "02/12/2026",
            "cookies_reviewed_on": "02/12/2026",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Controller cannot contain control characters" in page
    assert "Enter a valid email address." in page
    assert not StatementDetails.objects.exists()


@pytest.mark.django_db
def test_only_administrators_keep_them(client, board_member):
    client.force_login(board_member)
    response = client.get(reverse("admin:wsoa_tracker_statementdetails_changelist"))
    assert response.status_code == 302  # the admin's sign-in: not staff


@pytest.mark.django_db
@pytest.mark.parametrize("signed_in", [False, True])
def test_every_page_links_to_the_statements_from_its_footer(client, signed_in):
    urls = [
        reverse("sign-in"),
        reverse("public-progress"),
        reverse("open-data"),
        reverse("glossary"),
        reverse("cookies"),
        "/no-such-page/",
    ]
    if signed_in:
        client.force_login(UserFactory(username="board", board_member=True))
        urls = [
            reverse("actions:list"),
            reverse("actions:grid"),
            reverse("findings:list"),
            reverse("actions:approvals"),
            "/actions/999999/",
        ]
    for url in urls:
        page = client.get(url).content.decode()
        footer = page[page.index('<footer class="govuk-footer"') :]
        for name in [*STATEMENTS, "open-data", "public-progress", "glossary"]:
            assert f'href="{reverse(name)}"' in footer, (url, name)
