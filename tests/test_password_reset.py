"""Password reset by e-mail, as people meet it: the link on the sign-in page, the same
answer whether or not an account has the address, a link that works once and expires,
other sessions ended, the second factor still asked, and requests throttled."""

import datetime
import re

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory
from tests.factories.users import PASSWORD

pytestmark = pytest.mark.django_db

RESET = reverse("password_reset")
NEW = "a new passphrase nobody guesses"


def ask(client, email, address="10.0.0.1"):
    return client.post(RESET, {"email": email}, REMOTE_ADDR=address)


def link_in(message):
    return re.search(r"https?://[^/\s]+(/password/reset/[^\s]+/)", message.body).group(1)


def set_password(client, link, password=NEW):
    page = client.get(link, follow=True)
    form_url = page.redirect_chain[-1][0] if page.redirect_chain else link
    return client.post(
        form_url, {"new_password1": password, "new_password2": password}, follow=True
    )


@pytest.fixture
def ann(db):
    return UserFactory(username="ann", email="ann@example.org", board_member=True)


def test_the_sign_in_page_links_to_the_reset(client, db):
    page = client.get(reverse("sign-in")).text
    assert f'href="{RESET}">Forgotten your password?</a>' in page


def test_the_same_answer_whether_or_not_an_account_has_the_address(client, ann):
    known = ask(client, "ann@example.org")
    unknown = ask(Client(), "nobody@example.org")
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == reverse("password_reset_done")
    assert client.get(known["Location"]).text == Client().get(unknown["Location"]).text
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["ann@example.org"]
    done = client.get(known["Location"]).text
    assert "If an account has that email address, we have sent it a link" in done
    assert "works once, for 24 hours" in done


def test_a_bad_address_is_a_clear_error_and_sends_nothing(client, ann):
    empty = ask(client, "")
    assert empty.status_code == 200
    assert "There is a problem" in empty.text and "Enter your email address" in empty.text
    assert re.search(r"<title>\s*Error: Reset your password", empty.text)
    wrong = ask(client, "not an address")
    assert "Enter an email address in the correct format" in wrong.text
    assert mail.outbox == []


def test_the_link_sets_a_new_password_once_only(client, ann):
    ask(client, "ann@example.org")
    link = link_in(mail.outbox[0])
    done = set_password(client, link)
    assert "Your password has been reset" in done.text
    ann.refresh_from_db()
    assert ann.check_password(NEW)
    assert ann.history.first().history_change_reason == (
        "Password reset by its holder from an emailed link"
    )

    again = Client().get(link, follow=True)
    assert "This link no longer works" in again.text
    assert set_password(Client(), link, "yet another long passphrase").status_code == 200
    ann.refresh_from_db()
    assert ann.check_password(NEW)


def test_the_link_expires(client, ann):
    ask(client, "ann@example.org")
    link = link_in(mail.outbox[0])
    later = timezone.now() + datetime.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 60)
    with time_machine.travel(later):
        page = client.get(link, follow=True)
        assert "This link no longer works" in page.text
        assert 'href="/password/reset/">Ask for a new link' in page.text
    ann.refresh_from_db()
    assert ann.check_password(PASSWORD)


def test_a_reset_ends_the_other_sessions_and_sign_in_still_needs_the_second_factor(client, ann):
    elsewhere = Client()
    elsewhere.force_login(ann)
    assert elsewhere.get(reverse("actions:list")).status_code == 200
    ask(client, "ann@example.org")
    set_password(client, link_in(mail.outbox[0]))

    response = elsewhere.get(reverse("actions:list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("sign-in"))

    signed_in = client.post(reverse("sign-in"), {"username": "ann", "password": NEW}, follow=True)
    assert signed_in.redirect_chain[-1][0].startswith(reverse("second-factor"))
    assert client.get(reverse("actions:list"))["Location"].startswith(reverse("second-factor"))


def test_links_to_one_address_are_limited_and_the_answer_stays_the_same(client, ann, caplog):
    answers = [ask(client, "ANN@example.org", f"10.0.0.{n}") for n in range(5)]
    assert {(a.status_code, a["Location"]) for a in answers} == {
        (302, reverse("password_reset_done"))
    }
    assert len(mail.outbox) == settings.PASSWORD_RESET_PER_ADDRESS
    assert "too many links asked for one address" in caplog.text
    assert "ann@example.org" not in caplog.text.lower()


def test_requests_from_one_client_address_are_limited(client, ann):
    limit = settings.PASSWORD_RESET_PER_CLIENT
    statuses = [ask(client, f"someone{n}@example.org").status_code for n in range(limit + 1)]
    assert statuses == [302] * limit + [429]
    refused = ask(client, "ann@example.org")
    assert refused.status_code == 429
    assert "Too many requests to reset a password" in refused.text
    assert mail.outbox == []
    # Another address is not held back by this one.
    assert ask(Client(), "ann@example.org", "10.9.9.9").status_code == 302
    assert len(mail.outbox) == 1


def test_the_limits_lift_after_an_hour(client, ann):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for n in range(settings.PASSWORD_RESET_PER_CLIENT):
            ask(client, f"someone{n}@example.org")
        assert ask(client, "ann@example.org").status_code == 429
    with time_machine.travel(start + datetime.timedelta(minutes=61), tick=False):
        assert ask(client, "ann@example.org").status_code == 302


def test_an_inactive_account_gets_no_link(client, ann):
    get_user_model().objects.filter(pk=ann.pk).update(is_active=False)
    assert ask(client, "ann@example.org")["Location"] == reverse("password_reset_done")
    assert mail.outbox == []
