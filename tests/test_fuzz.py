"""Bad input never makes a server error: every URL of the site (from the URL resolver, so a
new one is fuzzed without being listed here), with every URL parameter, every query
parameter it reads and every field of every form it takes, given in turn each of a fixed
set of awkward values (NUL and control characters, 10,000-character strings, non-ASCII and
full-width text, Unicode line separators, negative and huge numbers, malformed dates and
years 0, 9999 and 99999, SQL-ish and HTML-ish text), as each role that may reach the page:
an administrator and an officer owning the action, the chair where only a reviewer may,
and anonymous on the public pages. Any 5xx, or any exception, fails the URL's test with
the list of inputs that caused them.

Deterministic and bounded: no random generation, one request per (role, parameter,
value), each in a savepoint rolled back afterwards so that every request meets the same
record. Which query parameters and form fields a page reads is found by recording the
keys it asks its GET and POST for (a probe request), so a filter or field added later is
fuzzed too. A URL parameter value its converter refuses never reaches a view: that is
checked with resolve(), without a request.

The board pack's PDF is made by WeasyPrint from the pack's HTML, which takes the better
part of a second; here the HTML is rendered (every fuzzed value reaches it) and the PDF
step is left out, except in test_the_board_pack_pdf_takes_extreme_dates, which makes it.
"""

import contextlib
import re
import urllib.parse
from unittest import mock

import pytest
from django.db import transaction
from django.http import QueryDict
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404

from tests.actions.test_permissions import confirmed_upload
from tests.factories import MeasureFactory, PublicSummaryFactory, UserFactory
from tests.second_factor import authenticator_for, force_login_password_only

# Every value, for the first role to reach each page.
VALUES = [
    "",
    "\x00",
    "a\x00b",
    "\x01\x0b\x1b\x7f",
    "a" * 10_001,
    "9" * 10_001,
    "Zoë O'Neill ŵ ŷ 😀 \u202eevil",
    "ＡＢＣ",
    "１２",
    "line\u2028separated\u2029paragraph\r\n",
    "-1",
    "0",
    "2147483648",
    "99999999999999999999",
    "1e309",
    "NaN",
    "1.005",
    "31/02/2025",
    "2025-02-30",
    "00/00/0000",
    "0000-01-01",
    "31/12/9999",
    "9999-12",
    "99999-01-01",
    "01/01/99999",
    "' OR '1'='1' --; DROP TABLE actions_rating;",
    "<script>alert(1)</script>{{ request }}{% debug %}",
]
# One value of each kind, for the second role (the same pages, the other role's code).
CORE = [
    "\x00",
    "\x01\x0b\x1b\x7f",
    "a" * 10_001,
    "Zoë O'Neill ŵ ŷ 😀 \u202eevil",
    "１２",
    "line\u2028separated\u2029paragraph\r\n",
    "-1",
    "99999999999999999999",
    "31/02/2025",
    "0000-01-01",
    "99999-01-01",
    "' OR '1'='1' --; DROP TABLE actions_rating;",
    "<script>alert(1)</script>{{ request }}{% debug %}",
]

# A valid POST for each URL whose page shows a form (the fuzz changes one field at a time).
VALID_POSTS = {
    "sign-in": {"username": "officer-a", "password": "a long test passphrase"},
    "openid_connect_login": {},  # the "Sign in with ..." button
    "sign-out": {},
    "password_reset": {"email": "officer-a@example.org"},
    "second-factor": {"code": "000000"},
    "second-factor-setup": {"code": "000000"},
    "password_change": {
        "old_password": "a long test passphrase",
        "new_password1": "another long passphrase 42",
        "new_password2": "another long passphrase 42",
    },
    "actions:rating-create": {
        "month": "2018-07",
        "rating": "amber",
        "commentary": "Moving",
        "evidence": "Minutes",
        "evidence_links": "https://example.org/minutes",
        "wider_system": "",
    },
    "actions:rating-correct": {
        "rating": "green",
        "commentary": "Done",
        "evidence": "Signed off",
        "evidence_links": "",
        "wider_system": "",
        "reason": "Typo",
        "version": "1",
    },
    "actions:figure-create": {
        "period_end": "30/06/2018",
        "value": "45",
        "source": "EHCP dashboard",
        "note": "",
    },
    "actions:rating-approve": {
        "decision": "accept",
        "return_reason": "",
        "board_rating": "red",
        "board_note": "Slower than it says",
        "version": "1",
    },
    "findings:summary-publish": {
        "plain_english": "Plans were late",
        "being_done": "More staff",
        "you_said_we_did": "You said; we did",
    },
    # The workbook's upload takes a file (tests/actions/test_workbook_files.py fuzzes files);
    # here its form fields get text. Confirming names no field.
    "actions:workbook-upload": {"workbook": ""},
    "actions:workbook-confirm": {},
}
PROBE = "_probe"  # binds the pages' filters, so that their fields are read


def site_urls(resolver=None, prefix="", namespace=""):
    """(name, route, converters) for every named URL of the site but the admin's, whose
    screens are Django's own."""
    for pattern in (resolver or get_resolver()).url_patterns:
        route = str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            if pattern.namespace != "admin":
                ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                yield from site_urls(pattern, prefix + route, ns)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield namespace + pattern.name, prefix + route, pattern.pattern.converters


SITE = sorted(site_urls())
PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>")


def path_for(route, values):
    return "/" + PARAMETER.sub(
        lambda m: urllib.parse.quote(str(values[m.group(1)]), safe=""), route
    )


@pytest.fixture
def record(owned_action, june_rating, officer, administrator, approver):
    measure = MeasureFactory(plan=owned_action.required_outcome.plan, slug="timeliness")
    measure.actions.add(owned_action)
    weakness = owned_action.required_outcome.weakness
    PublicSummaryFactory(finding=weakness)
    returning = UserFactory(username="returning", officer=True)
    authenticator_for(returning)
    return {
        "review": weakness.review.slug,
        "code": weakness.code,
        "table": "ratings",
        "users": {
            "administrator": administrator,
            "officer": officer,
            "approver": approver,
            "newcomer": UserFactory(username="newcomer", officer=True),
            "returning": returning,
        },
        "action": owned_action.pk,
        "finding": weakness.pk,
        "year": june_rating.month.year,
        "month": june_rating.month.month,
        "slug": measure.slug,
        "plan": owned_action.required_outcome.plan.slug,
        "upload": confirmed_upload().pk,
    }


def valid_arguments(name, record):
    """The URL parameters naming real rows: pk is a finding's under findings:, a workbook
    upload's under workbook-, else an action's; slug is a plan's for its workbook, else a
    measure's. A new parameter name fails here, to be given its real row."""
    if name.startswith("findings:"):
        pk = record["finding"]
    elif name.startswith("actions:workbook-"):
        pk = record["upload"]
    else:
        pk = record["action"]
    return {
        "pk": pk,
        "year": record["year"],
        "month": record["month"],
        "slug": record["plan"] if name == "actions:workbook-download" else record["slug"],
        "review": record["review"],
        "code": record["code"],
        "table": record["table"],
        # A password reset link's: no such link (the page says it no longer works).
        "uidb64": "MQ",
        "token": "no-such-token",
        "provider_id": "council",  # the `council` fixture's identity provider
        "plan": record["plan"],  # the API's plan (api:plan, api:plan-grid)
    }


@contextlib.contextmanager
def keys_read():
    """The keys any QueryDict (a request's GET or POST) is asked for meanwhile."""
    read = set()

    def recording(original):
        def method(self, key, *args, **kwargs):
            read.add(key)
            return original(self, key, *args, **kwargs)

        return method

    with contextlib.ExitStack() as stack:
        for attribute in ("get", "getlist", "__getitem__", "__contains__"):
            original = getattr(QueryDict, attribute)
            stack.enter_context(mock.patch.object(QueryDict, attribute, recording(original)))
        yield read


class Fuzzer:
    def __init__(self, client, name):
        self.client, self.name, self.failures, self.requests = client, name, [], 0

    def send(self, method, path, data, what):
        """One request in a savepoint rolled back afterwards; a 5xx or an exception is a
        failure, noted with what was sent."""
        cookies = {key: morsel.value for key, morsel in self.client.cookies.items()}
        self.requests += 1
        response = None
        with transaction.atomic():
            try:
                response = getattr(self.client, method)(path, data)
            except Exception as error:  # noqa: BLE001 - every exception is the finding
                self.failures.append(f"{method.upper()} {what}: {type(error).__name__}: {error}")
            transaction.set_rollback(True)
        self.client.cookies.clear()
        for key, value in cookies.items():
            self.client.cookies[key] = value
        if response is not None and response.status_code >= 500:
            self.failures.append(f"{method.upper()} {what}: {response.status_code}")
        return response


def reachable(response):
    """A role reaches a page it may GET (or may only POST to), or one that sends it on
    elsewhere than the sign-in page: not a 403 or 404, nor the sign-in page's refusal. The
    single sign-on callback answers 401 to a request without this browser's state: it is
    reached, and its parameters (code, state, error) are fuzzed."""
    if response.status_code in (301, 302):
        return not response["Location"].startswith("/sign-in/")
    return response.status_code in (200, 204, 401, 405)


def shown(value):
    text = repr(value)
    return text if len(text) < 40 else f"{text[:20]}...({len(value)} characters)"


POST_FORM = re.compile(r"<form\b[^>]*>", re.I)


def posts_a_form(response):
    """The page shows a form posted to itself (not the header's sign-out button)."""
    if response.streaming:
        return False
    return any(
        'method="post"' in tag.lower() and "action=" not in tag.lower()
        for tag in POST_FORM.findall(response.content.decode(errors="replace"))
    )


def fuzz_as(fuzzer, name, route, converters, arguments, values):
    """Fuzz one URL as the client's user with `values`: its URL parameters, the query
    parameters its GET reads, and each field of its form's valid POST. False if the
    user does not reach the page."""
    path = path_for(route, arguments)
    with keys_read() as read:
        probe = fuzzer.send("get", path, {PROBE: "1"}, f"{path} (probe)")
        if probe is not None and probe.status_code == 400:
            # A page that refuses parameters it does not know (the board pack): probe it
            # bare; the keys it reads are still recorded.
            probe = fuzzer.send("get", path, {}, f"{path} (probe)")
    if probe is None or not reachable(probe):
        return False
    query_keys = sorted(read - {PROBE})

    for parameter, converter in converters.items():
        for value in values:
            fuzzed = path_for(route, {**arguments, parameter: value})
            if not re.fullmatch(converter.regex, value):
                with pytest.raises(Resolver404):
                    resolve(urllib.parse.unquote(fuzzed))
                continue
            fuzzer.send("get", fuzzed, {}, f"{parameter}={shown(value)}")
            if name in VALID_POSTS:
                fuzzer.send("post", fuzzed, VALID_POSTS[name], f"POST {parameter}={shown(value)}")

    for key in query_keys:
        for value in values:
            fuzzer.send("get", path, {key: value}, f"?{key}={shown(value)}")

    if probe.status_code == 405 or posts_a_form(probe):
        assert name in VALID_POSTS, f"{name} takes a form: give VALID_POSTS a valid POST"
    if name in VALID_POSTS:
        valid = VALID_POSTS[name]
        with keys_read() as read:
            fuzzer.send("post", path, valid, f"{path} (valid POST)")
        form = probe.context.get("form") if probe.context else None
        fields = set(getattr(form, "fields", ())) | set(valid) | (read - {PROBE})
        for field in sorted(fields):
            for value in values:
                fuzzer.send("post", path, {**valid, field: value}, f"{field}={shown(value)}")
    return True


# In turn: the first group with a role reaching the page is fuzzed, its first role with
# every value and the others with one of each kind.
# The second sign-in step's pages are reached between the password and the code: by a
# newcomer setting up an app, and by someone who has one.
ROLES_IN_TURN = [("administrator", "officer"), ("approver",), ("newcomer", "returning")]
BEFORE_THE_SECOND_FACTOR = {"newcomer", "returning"}


@pytest.mark.parametrize(("name", "route", "converters"), SITE, ids=[n for n, _, _ in SITE])
def test_no_input_makes_a_server_error(request, client, record, name, route, converters):
    if name.startswith("openid_connect"):
        request.getfixturevalue("council")
    if name.startswith("api:"):
        # The API takes a token, never the session: every turn below carries one.
        from tests.factories import ApiTokenFactory

        token = ApiTokenFactory(user=record["users"]["officer"])
        client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {token.secret}"
    fuzzer = Fuzzer(client, name)
    arguments = valid_arguments(name, record)
    reached = []
    if fuzz_as(fuzzer, name, route, converters, arguments, VALUES):
        reached.append("anonymous")  # the pages that need no sign-in
    for roles in ROLES_IN_TURN:
        for role in roles:
            if role in BEFORE_THE_SECOND_FACTOR:
                force_login_password_only(client, record["users"][role])
            else:
                client.force_login(record["users"][role])
            values = VALUES if not reached or reached == ["anonymous"] else CORE
            if fuzz_as(fuzzer, name, route, converters, arguments, values):
                reached.append(role)
            client.logout()
        if set(roles) & set(reached):
            break
    assert reached, f"No role reaches {name}: give it a row and a role here"
    print(f"{name}: {fuzzer.requests} requests as {', '.join(reached)}")
    assert not fuzzer.failures, "\n".join(
        [f"{name}: {len(fuzzer.failures)} of {fuzzer.requests} requests failed"]
        + fuzzer.failures[:40]
    )


# The board pack made for real (WeasyPrint), for the dates at the edges of the calendar.


@pytest.mark.parametrize("as_at", ["0001-01-01", "31/12/9999", "1900-01-01"])
def test_the_board_pack_pdf_takes_extreme_dates(client, record, as_at):
    client.force_login(record["users"]["administrator"])
    response = client.get("/actions/board-pack.pdf", {"as_at": as_at})
    assert response.status_code < 500


@pytest.fixture(autouse=True)
def quick_board_pack(request):
    """The pack's HTML without WeasyPrint's PDF, but for the test that makes the PDF."""
    if request.node.originalname == "test_the_board_pack_pdf_takes_extreme_dates":
        yield
        return
    from django.template.loader import render_to_string

    def html_only(context, base_url):
        return render_to_string("actions/board_pack.html", context).encode()

    with mock.patch("actions.reports.board_pack.board_pack_pdf", html_only):
        yield
