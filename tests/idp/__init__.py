"""A real OpenID Connect provider for the tests (server.mjs, npm's oidc-provider), run as a
Node process on 127.0.0.1, and a walk through its sign-in for the Django test client."""

import json
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import requests
from django.conf import settings

SERVER = Path(__file__).with_name("server.mjs")
NODE = shutil.which("node") or "node"
CLIENT_SECRET = "a-test-client-secret-only-for-the-local-provider"
# The test accounts, the same as `make identity-provider` offers (dev.json).
ACCOUNTS = json.loads(SERVER.with_name("dev.json").read_text())["accounts"]


class IdentityProvider:
    """One running provider: `issuer`, and the accounts, groups and tampering of its
    configuration file, which it reads again at every request."""

    def __init__(self, client_ids, redirect_base):
        self.folder = tempfile.TemporaryDirectory()
        self.path = Path(self.folder.name) / "idp.json"
        self.config = {
            "clients": [
                {
                    "client_id": client_id,
                    "client_secret": CLIENT_SECRET,
                    "redirect_uris": [f"{redirect_base}/sso/{client_id}/login/callback/"],
                }
                for client_id in client_ids
            ],
            "accounts": json.loads(json.dumps(ACCOUNTS)),
            "tamper": None,
        }
        self.write()
        self.process = subprocess.Popen(
            [NODE, str(SERVER), str(self.path)],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            cwd=settings.BASE_DIR,
        )
        line = self.process.stdout.readline()
        if not line.startswith("LISTENING "):
            self.stop()
            raise RuntimeError(f"The test identity provider did not start: {line!r}")
        self.issuer = line.split()[1]

    def write(self):
        self.path.write_text(json.dumps(self.config))

    def reset(self):
        self.config["accounts"] = json.loads(json.dumps(ACCOUNTS))
        self.config["tamper"] = None
        self.write()

    def set_groups(self, login, groups):
        self.config["accounts"][login]["groups"] = list(groups)
        self.write()

    def tamper(self, how):
        self.config["tamper"] = how
        self.write()

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process.stdout.close()
        self.folder.cleanup()


FORM_ACTION = re.compile(r'<form[^>]*action="([^"]+)"')


def sign_in_at_provider(identity_provider, authorize_url, login):
    """What a browser does at the provider: follow its redirects and fill in its sign-in
    form as `login`. Returns the URL it sends the browser back to (the callback)."""
    with requests.Session() as browser:
        return follow(identity_provider, browser, authorize_url, login)


def follow(identity_provider, browser, url, login):
    for _ in range(10):
        if not url.startswith(identity_provider.issuer):
            return url
        response = browser.get(url, allow_redirects=False, timeout=10)
        if response.status_code == 200 and 'name="login"' in response.text:
            action = urljoin(url, FORM_ACTION.search(response.text).group(1))
            response = browser.post(
                action,
                data={"prompt": "login", "login": login, "password": "any password"},
                allow_redirects=False,
                timeout=10,
            )
        if response.status_code not in (302, 303):
            raise AssertionError(f"The provider answered {response.status_code}: {response.text}")
        url = urljoin(url, response.headers["Location"])
    raise AssertionError("The provider redirected too many times")


def sign_in_through(client, identity_provider, provider_id, login, next_url=None):
    """Press "Sign in with ..." on the sign-in page, sign in at the provider as `login`,
    and come back: the callback's response (the Django test client's)."""
    from django.urls import reverse

    start = reverse("openid_connect_login", args=[provider_id])
    if next_url:
        start += f"?next={next_url}"
    response = client.post(start)
    assert response.status_code == 302, response.content
    back = urlsplit(sign_in_at_provider(identity_provider, response["Location"], login))
    assert back.netloc == "testserver", back
    return client.get(f"{back.path}?{back.query}")
