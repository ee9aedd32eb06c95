"""The local OpenID Connect provider itself (tests/idp/server.mjs): it listens on this
machine only, publishes its configuration and keys, and insists on PKCE."""

from urllib.parse import urlsplit

import requests


def test_it_listens_on_this_machine_and_publishes_its_configuration(identity_provider):
    assert urlsplit(identity_provider.issuer).hostname == "127.0.0.1"
    config = requests.get(
        f"{identity_provider.issuer}/.well-known/openid-configuration", timeout=10
    ).json()
    assert config["issuer"] == identity_provider.issuer
    assert config["code_challenge_methods_supported"] == ["S256"]
    assert "groups" in config["claims_supported"]
    keys = requests.get(config["jwks_uri"], timeout=10).json()["keys"]
    assert [(key["kty"], key["alg"]) for key in keys] == [("RSA", "RS256")]
    assert all("d" not in key for key in keys)  # the private key stays with the provider


def test_it_refuses_an_authorization_request_without_pkce(identity_provider):
    response = requests.get(
        f"{identity_provider.issuer}/auth",
        params={
            "client_id": "council",
            "response_type": "code",
            "scope": "openid",
            "redirect_uri": "http://testserver/sso/council/login/callback/",
            "state": "s",
        },
        allow_redirects=False,
        timeout=10,
    )
    assert response.status_code in (302, 303)
    assert "error=invalid_request" in response.headers["Location"]
    assert "requires+PKCE" in response.headers["Location"]
