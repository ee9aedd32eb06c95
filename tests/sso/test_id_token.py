"""The ID token is trusted only once verified: the provider (tests/idp) is made to return a
broken one at its token endpoint, and allauth's verification, with the nonce and signature
checks of wsoa_tracker/sso/provider.py, refuses each, signing nobody in and storing nothing.
Also: PKCE, state and nonce are sent, and a callback with a state this browser was not
given is refused."""

from urllib.parse import parse_qs, urlsplit

import pytest
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.idp import sign_in_at_provider, sign_in_through

User = get_user_model()


@pytest.mark.parametrize("how", ["signature", "unsigned", "audience", "nonce", "expired"])
def test_a_tampered_id_token_is_refused_and_nothing_is_stored(
    client, council, identity_provider, how, caplog
):
    users = User.objects.count()
    identity_provider.tamper(how)
    response = sign_in_through(client, identity_provider, "council", "ann")
    assert response.status_code == 401
    assert "Sign-in did not work" in response.content.decode()
    assert User.objects.count() == users
    assert not SocialAccount.objects.exists()
    assert client.get(reverse("actions:list")).status_code == 302  # not signed in
    assert "Single sign-on failed at council" in caplog.text


def test_the_same_sign_in_untampered_succeeds(client, council, identity_provider):
    """The tests above fail for the tampering alone."""
    response = sign_in_through(client, identity_provider, "council", "ann")
    assert response.status_code == 302
    assert SocialAccount.objects.count() == 1


def test_the_authorization_request_carries_pkce_state_and_nonce(client, council):
    response = client.post(reverse("openid_connect_login", args=["council"]))
    query = parse_qs(urlsplit(response["Location"]).query)
    assert query["response_type"] == ["code"]
    assert query["code_challenge_method"] == ["S256"] and len(query["code_challenge"][0]) >= 43
    assert len(query["state"][0]) >= 12 and len(query["nonce"][0]) >= 32
    assert "groups" in query["scope"][0].split()


def test_a_callback_with_another_state_is_refused(client, council, identity_provider):
    response = client.post(reverse("openid_connect_login", args=["council"]))
    back = urlsplit(sign_in_at_provider(identity_provider, response["Location"], "ann"))
    query = parse_qs(back.query)
    forged = f"{back.path}?code={query['code'][0]}&state=not-the-state-we-sent"
    response = client.get(forged)
    assert response.status_code == 401
    assert not User.objects.filter(email="ann.officer@council.example").exists()


def test_a_callback_in_another_browser_is_refused(client, council, identity_provider):
    """The state lives in the session of the browser that started the sign-in."""
    from django.test import Client

    response = client.post(reverse("openid_connect_login", args=["council"]))
    back = urlsplit(sign_in_at_provider(identity_provider, response["Location"], "ann"))
    response = Client().get(f"{back.path}?{back.query}")
    assert response.status_code == 401
    assert not SocialAccount.objects.exists()
