"""The read-only API's tokens and shape: an administrator issues a token (shown once, only
its hash kept), sees when it was last used and revokes it; the token works only on the API,
read-only, for a person who may read the board's pages, throttled; never on the HTML
pages; the OpenAPI schema validates with no warning and its documentation page keeps the
CSP."""

import datetime
import re

import pytest
import time_machine
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import formats, timezone

from actions.models import ApiToken
from actions.models.api_tokens import digest_of
from tests.factories import ApiTokenFactory, MeasureFactory, UserFactory

WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.I)


def bearer(secret):
    return {"authorization": f"Bearer {secret}"}


def _api_names():
    from actions.api import urls

    return [f"api:{pattern.name}" for pattern in urls.urlpatterns]


def url_of(name, owned_action):
    if name in ("api:plan", "api:plan-grid"):
        return reverse(name, args=[owned_action.required_outcome.plan.slug])
    return reverse(name)


DATA = {"api:schema", "api:docs"}  # the schema and its page: the shape, no data


@pytest.fixture
def token(board_member):
    return ApiTokenFactory(user=board_member)


def test_issuing_in_the_admin_shows_the_token_once_and_keeps_only_its_hash(
    client, administrator, board_member
):
    client.force_login(administrator)
    response = client.post(
        reverse("admin:actions_apitoken_add"), {"user": board_member.pk, "name": "Power BI"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    secret = re.search(r'value="(wsoa_[^"]+)"', page).group(1)
    assert "shown only this once" in page
    token = ApiToken.objects.get()
    assert (token.user, token.name, token.issued_by) == (board_member, "Power BI", administrator)
    assert token.digest == digest_of(secret) and secret not in str(vars(token))
    assert Client().get(reverse("api:plans"), headers=bearer(secret)).status_code == 200
    change = client.get(reverse("admin:actions_apitoken_change", args=[token.pk]))
    assert secret not in change.content.decode()
    listing = client.get(reverse("admin:actions_apitoken_changelist")).content.decode()
    assert "Power BI" in listing and secret not in listing


def test_a_token_is_not_issued_for_an_account_without_a_role(client, administrator):
    client.force_login(administrator)
    nobody = UserFactory(username="nobody")
    response = client.post(
        reverse("admin:actions_apitoken_add"), {"user": nobody.pk, "name": "Spreadsheet"}
    )
    assert response.status_code == 200
    assert "has no role in the tracker" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_only_administrators_reach_the_tokens_screen(client, board_member, officer):
    for user in (board_member, officer):
        client.force_login(user)
        response = client.get(reverse("admin:actions_apitoken_changelist"))
        assert response.status_code in (302, 403)
        assert ApiToken._meta.verbose_name not in response.content.decode()


def test_revoked_in_the_admin_the_token_is_refused(client, administrator, token):
    api = Client()
    assert api.get(reverse("api:plans"), headers=bearer(token.secret)).status_code == 200
    client.force_login(administrator)
    response = client.post(
        reverse("admin:actions_apitoken_changelist"),
        {"action": "revoke", "_selected_action": [token.pk]},
    )
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at and token.revoked_by == administrator
    refused = api.get(reverse("api:plans"), headers=bearer(token.secret))
    assert refused.status_code == 401
    assert refused.json() == {"detail": "The token is not valid, or has been revoked."}
    assert (
        client.post(
            reverse("admin:actions_apitoken_delete", args=[token.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert ApiToken.objects.filter(pk=token.pk).exists()


def test_last_used_is_written_at_most_once_a_minute_and_shown_to_administrators(
    client, administrator, token
):
    api = Client()
    moment = timezone.now().replace(microsecond=0)
    with time_machine.travel(moment, tick=False):
        assert api.get(reverse("api:plans"), headers=bearer(token.secret)).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at == moment
    with time_machine.travel(moment + datetime.timedelta(seconds=50), tick=False):
        with CaptureQueriesContext(connection) as queries:
            api.get(reverse("api:plans"), headers=bearer(token.secret))
        assert not [q["sql"] for q in queries if WRITE.match(q["sql"])]
    token.refresh_from_db()
    assert token.last_used_at == moment
    later = moment + datetime.timedelta(seconds=61)
    with time_machine.travel(later, tick=False):
        api.get(reverse("api:plans"), headers=bearer(token.secret))
    token.refresh_from_db()
    assert token.last_used_at == later
    client.force_login(administrator)
    listing = client.get(reverse("admin:actions_apitoken_changelist")).content.decode()
    assert "Last used at" in listing
    assert formats.localize(timezone.template_localtime(later)) in listing


@pytest.mark.parametrize(
    "header, detail",
    [
        (None, "Authentication credentials were not provided."),
        ("Bearer wsoa_not-a-token", "The token is not valid, or has been revoked."),
        ("Bearer", "Send the token as “Authorization: Bearer <token>”."),
        ("Token abc", "Send the token as “Authorization: Bearer <token>”."),
        ("Basic Ym9hcmQ6cGFzc3dvcmQ=", "Send the token as “Authorization: Bearer <token>”."),
    ],
)
def test_without_a_good_token_the_api_answers_401(db, header, detail):
    headers = {"authorization": header} if header else {}
    response = Client().get(reverse("api:plans"), headers=headers)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert response.json() == {"detail": detail}


def test_a_signed_in_session_is_not_enough_for_the_api(client, board_member):
    client.force_login(board_member)
    assert client.get(reverse("api:plans")).status_code == 401


def test_the_token_of_an_account_that_lost_its_role_or_left_is_refused(db, token):
    user = token.user
    user.groups.clear()
    response = Client().get(reverse("api:plans"), headers=bearer(token.secret))
    assert response.status_code == 403
    user.is_active = False
    user.save()
    assert Client().get(reverse("api:plans"), headers=bearer(token.secret)).status_code == 401


@pytest.mark.parametrize("name", _api_names())
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_every_endpoint_is_read_only(owned_action, token, name, method):
    MeasureFactory(plan=owned_action.required_outcome.plan)
    before = (ApiToken.objects.count(), owned_action.__class__.objects.count())
    response = getattr(Client(), method)(
        url_of(name, owned_action),
        {},
        content_type="application/json",
        headers=bearer(token.secret),
    )
    assert response.status_code == 405
    assert (ApiToken.objects.count(), owned_action.__class__.objects.count()) == before


@pytest.mark.parametrize("name", sorted(set(_api_names()) - DATA))
def test_every_data_endpoint_needs_a_token(owned_action, name):
    assert Client().get(url_of(name, owned_action)).status_code == 401


@pytest.mark.parametrize("name", _api_names())
def test_every_endpoint_answers_get_head_and_options_with_a_token(owned_action, token, name):
    url = url_of(name, owned_action)
    for method in ("get", "head", "options"):
        response = getattr(Client(), method)(url, headers=bearer(token.secret))
        assert response.status_code == 200, (method, url, response.content[:300])


def test_the_token_is_never_accepted_by_the_html_pages(owned_action, token):
    for url in (reverse("actions:grid"), reverse("actions:grid-csv"), reverse("actions:list")):
        response = Client().get(url, headers=bearer(token.secret))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("sign-in") + "?next=")
    admin = Client().get(reverse("admin:index"), headers=bearer(token.secret))
    assert admin.status_code == 302 and "login" in admin["Location"] + "sign-in"


@override_settings(API_THROTTLE_RATE="3/minute")
def test_requests_over_the_rate_are_throttled_per_person(db, token):
    api = Client()
    answers = [api.get(reverse("api:plans"), headers=bearer(token.secret)) for _ in range(4)]
    assert [r.status_code for r in answers] == [200, 200, 200, 429]
    assert "Retry-After" in answers[-1]
    other = ApiTokenFactory(user=UserFactory(username="analyst-2", board_member=True))
    assert api.get(reverse("api:plans"), headers=bearer(other.secret)).status_code == 200


def test_the_schema_generates_without_warnings_and_validates(db, tmp_path):
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    text = out.read_text()
    for path in ("/api/v1/plans/{plan}/grid/", "/api/v1/findings/", "/api/v1/measures/"):
        assert path in text
    assert "bearer" in text and "as_at" in text
    assert "post:" not in text and "put:" not in text and "delete:" not in text


def test_the_schema_and_its_page_are_served_and_keep_the_csp(db):
    schema = Client().get(reverse("api:schema"), {"format": "json"})
    assert schema.status_code == 200
    assert "/api/v1/actions/" in schema.json()["paths"]
    page = Client().get(reverse("api:docs"))
    assert page.status_code == 200
    html = page.content.decode()
    csp = page["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "<style" not in html
    scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", html, re.S)
    assert scripts
    assert all('src="' in attributes and not body.strip() for attributes, body in scripts)
    start_up = Client().get(reverse("api:docs"), {"script": ""})
    assert start_up.status_code == 200
    assert start_up["Content-Type"].startswith("application/javascript")
    assert "/api/v1/schema/" in start_up.content.decode()
    sources = re.findall(r'(?:src|href)="/static/([^"]+)"', html)
    assert len(sources) >= 3  # Swagger UI's CSS and scripts, from drf-spectacular-sidecar
    assert all(finders.find(source) for source in sources), sources


def test_the_schema_takes_no_version_from_the_query(db):
    """Found by the fuzz test: the library put `?version=` as typed into a header."""
    response = Client().get(reverse("api:schema"), {"version": "x\r\nSet-Cookie: a=b"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'inline; filename="WSOA Tracker API (1).yaml"'
