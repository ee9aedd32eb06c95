"""Behind the council's proxy (DJANGO_BEHIND_PROXY=1): sign-in throttling must count each
client by the address the proxy saw, whether the proxy replaces X-Forwarded-For or appends
to what the client sent. Unit tests of the address, then the same through gunicorn."""

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from tests.factories import UserFactory
from tests.servers import FormClient, gunicorn, manage, production_env

PASSWORD = "a long test passphrase"  # the factories' password
SIGN_IN = reverse("sign-in")
PROXY = "127.0.0.1"  # what gunicorn sees: the proxy's own address


def address(forwarded_for=None, remote=PROXY):
    from wsoa_tracker.client_address import client_address

    meta = {"REMOTE_ADDR": remote}
    if forwarded_for is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return client_address(RequestFactory().post(SIGN_IN, **meta))


@pytest.fixture
def behind_proxy(settings):
    settings.BEHIND_PROXY = True
    settings.PROXY_COUNT = 1
    return settings


# The address, unit by unit


def test_a_replacing_proxy_gives_the_one_address_it_set(behind_proxy):
    assert address("203.0.113.5") == "203.0.113.5"


def test_an_appending_proxy_gives_its_own_right_most_entry_not_the_clients(behind_proxy):
    assert address("10.0.0.1, 203.0.113.5") == "203.0.113.5"
    assert address("1.1.1.1,8.8.8.8,  203.0.113.5") == "203.0.113.5"
    # Whatever the client put on the left, even rubbish.
    assert address("not an address, <script>, 203.0.113.5") == "203.0.113.5"


def test_two_proxies_give_the_second_entry_from_the_right(behind_proxy):
    behind_proxy.PROXY_COUNT = 2
    # client-forged, the client (added by the outer proxy), the outer proxy (added by the inner)
    assert address("9.9.9.9, 203.0.113.5, 10.0.0.2") == "203.0.113.5"


def test_ports_and_ipv6_are_understood(behind_proxy):
    assert address("203.0.113.5:4711") == "203.0.113.5"
    assert address("[2001:DB8::1]:443") == "2001:db8::1"
    assert address("2001:db8::1") == "2001:db8::1"


@pytest.mark.parametrize(
    "forwarded_for",
    [None, "", "   ", "unknown", "203.0.113.5, garbage", "203.0.113.5,", "999.1.1.1"],
)
def test_an_address_that_cannot_be_determined_is_refused_never_shared(behind_proxy, forwarded_for):
    from wsoa_tracker.client_address import ClientAddressUnknown

    with pytest.raises(ClientAddressUnknown):
        address(forwarded_for)


def test_fewer_entries_than_proxies_is_refused(behind_proxy):
    from wsoa_tracker.client_address import ClientAddressUnknown

    behind_proxy.PROXY_COUNT = 2
    with pytest.raises(ClientAddressUnknown):
        address("203.0.113.5")


def test_without_a_proxy_the_header_is_ignored(settings):
    settings.BEHIND_PROXY = False
    assert address("203.0.113.5", remote="198.51.100.1") == "198.51.100.1"


def test_the_proxy_count_comes_from_the_environment_and_must_be_a_whole_number():
    from tests.test_settings import django_setting

    base = {"DJANGO_DEBUG": "1", "DJANGO_BEHIND_PROXY": "1"}
    assert django_setting("PROXY_COUNT", **base).stdout.strip() == "1"
    assert django_setting("PROXY_COUNT", DJANGO_PROXY_COUNT="2", **base).stdout.strip() == "2"
    for wrong in ("0", "-1", "two"):
        result = django_setting("PROXY_COUNT", DJANGO_PROXY_COUNT=wrong, **base)
        assert result.returncode != 0
        assert "DJANGO_PROXY_COUNT" in result.stderr


# Sign-in throttling through Django's test client


def sign_in(client, username, password, forwarded_for=None):
    extra = {"REMOTE_ADDR": PROXY}
    if forwarded_for is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return client.post(SIGN_IN, {"username": username, "password": password}, **extra)


def test_replacing_proxy_one_clients_failures_do_not_lock_another_client(behind_proxy, db):
    UserFactory(username="ann")
    for _ in range(10):
        last = sign_in(Client(), "ann", "wrong password", "203.0.113.5")
    assert last.status_code == 429
    assert sign_in(Client(), "ann", PASSWORD, "198.51.100.7").status_code == 302


def test_appending_proxy_a_client_changing_its_forged_entry_is_still_locked(behind_proxy, db):
    UserFactory(username="ann")
    statuses = [
        sign_in(Client(), "ann", "wrong password", f"10.{n}.0.1, 203.0.113.9").status_code
        for n in range(10)
    ]
    assert statuses == [200] * 9 + [429]
    assert sign_in(Client(), "ann", PASSWORD, "10.99.0.1, 203.0.113.9").status_code == 429
    assert sign_in(Client(), "ann", PASSWORD, "203.0.113.9, 198.51.100.7").status_code == 302


def test_a_sign_in_whose_address_is_unknown_is_refused_with_a_clear_page(behind_proxy, db):
    from axes.models import AccessAttempt, AccessLog

    UserFactory(username="ann")
    for forwarded_for in (None, "garbage"):
        response = sign_in(Client(), "ann", PASSWORD, forwarded_for)
        assert response.status_code == 400
        assert "We could not check where this sign-in came from" in response.text
    assert not AccessAttempt.objects.exists() and not AccessLog.objects.exists()
    # Pages that check no password still work, for the load balancer's health check too.
    assert Client().get(SIGN_IN, REMOTE_ADDR=PROXY).status_code == 200


# End to end: gunicorn in production mode behind a (simulated) proxy


@pytest.fixture(scope="module")
def proxied_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("proxied")
    env = production_env(DJANGO_BEHIND_PROXY="1", SQLITE_PATH=str(folder / "db.sqlite3"))
    manage("migrate", "--no-input", env=env)
    manage(
        "shell",
        "-c",
        "from django.contrib.auth import get_user_model\n"
        "for name in ('ann', 'bob', 'cat'):\n"
        f"    get_user_model().objects.create_user(name, password={PASSWORD!r})\n",
        env=env,
    )
    with gunicorn(env, folder / "gunicorn.log") as port:
        yield port


def gunicorn_sign_in(client, username, password, forwarded_for):
    return client.post(SIGN_IN, {"username": username, "password": password}, forwarded_for)


def test_gunicorn_replacing_proxy_failures_lock_that_client_only(proxied_server):
    attacker = FormClient(proxied_server)
    statuses = [
        gunicorn_sign_in(attacker, "ann", "wrong password", "203.0.113.5")[0] for _ in range(10)
    ]
    assert statuses == [200] * 9 + [429]
    assert gunicorn_sign_in(attacker, "ann", PASSWORD, "203.0.113.5")[0] == 429
    # Ann, at another address, is not locked out by someone else's guesses.
    status, _ = gunicorn_sign_in(FormClient(proxied_server), "ann", PASSWORD, "198.51.100.7")
    assert status == 302


def test_gunicorn_appending_proxy_changing_the_left_most_entry_does_not_escape(proxied_server):
    attacker = FormClient(proxied_server)
    statuses = [
        gunicorn_sign_in(attacker, "bob", "wrong password", f"10.{n}.0.1, 203.0.113.9")[0]
        for n in range(10)
    ]
    assert statuses == [200] * 9 + [429]
    status, text = gunicorn_sign_in(attacker, "bob", PASSWORD, "10.77.0.1, 203.0.113.9")
    assert status == 429 and "Sign-in locked for 15 minutes" in text
    # Bob from his own address (he sent no header; the proxy appended his address).
    assert gunicorn_sign_in(FormClient(proxied_server), "bob", PASSWORD, "198.51.100.8")[0] == 302


def test_gunicorn_a_proxy_that_sends_no_address_gets_a_refusal_not_a_shared_count(
    proxied_server,
):
    status, text = gunicorn_sign_in(FormClient(proxied_server), "cat", PASSWORD, None)
    assert status == 400
    assert "We could not check where this sign-in came from" in text
