"""Leavers: the nightly command deactivates accounts not signed in to for 90 days (never
signed in: since the account was made), logs each, keeps everything else; the admin's
list of accounts shows each one's last sign-in and whether a second factor is set up."""

import datetime
import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from actions.models import Rating
from tests.factories import RatingFactory, UserFactory
from tests.helpers import assert_queries_do_not_grow
from tests.second_factor import authenticator_for

pytestmark = pytest.mark.django_db

User = get_user_model()


def days_ago(days):
    return timezone.now() - datetime.timedelta(days=days)


def account(username, *, signed_in=None, joined=200, **kwargs):
    user = UserFactory(username=username, officer=True, **kwargs)
    User.objects.filter(pk=user.pk).update(
        last_login=days_ago(signed_in) if signed_in is not None else None,
        date_joined=days_ago(joined),
    )
    return User.objects.get(pk=user.pk)


def everything(users):
    """Every field of each account, and its roles."""
    return {
        user.username: (
            {f.name: getattr(user, f.name) for f in User._meta.concrete_fields},
            sorted(user.groups.values_list("name", flat=True)),
        )
        for user in User.objects.filter(pk__in=[u.pk for u in users])
    }


@pytest.fixture
def accounts(db):
    return {
        "recent": account("recent", signed_in=10),
        "left": account("left", signed_in=100),
        "just-under": account("just-under", signed_in=89),
        "never-new": account("never-new", joined=5),
        "never-old": account("never-old", joined=120),
        "already-off": account("already-off", signed_in=300, is_active=False),
    }


def test_accounts_not_signed_in_to_for_90_days_are_deactivated_and_logged(accounts, caplog):
    rating = RatingFactory(recorded_by=accounts["left"])
    before = everything(accounts.values())
    out = StringIO()
    call_command("deactivate_leavers", stdout=out)
    assert out.getvalue().strip() == "2 account(s) deactivated."
    after = everything(accounts.values())

    active = dict(User.objects.values_list("username", "is_active"))
    assert {name for name in accounts if not active[name]} == {"left", "never-old", "already-off"}
    lines = [r.getMessage() for r in caplog.records if r.name == "wsoa_tracker.leavers"]
    assert len(lines) == 2
    assert re.fullmatch(r"Deactivated leaver left: last signed in \S+, over 90 days ago", lines[0])
    assert lines[1].startswith("Deactivated leaver never-old: never signed in; made ")

    # Nothing else changed: the other accounts at all, the leavers beyond their status.
    for name in before:
        fields_before, roles_before = before[name]
        fields_after, roles_after = after[name]
        if name in ("left", "never-old"):
            assert fields_after.pop("is_active") is False
            fields_before.pop("is_active")
        assert (fields_after, roles_after) == (fields_before, roles_before), name
    assert Rating.objects.get(pk=rating.pk).recorded_by == accounts["left"]
    reasons = list(accounts["left"].history.values_list("history_change_reason", flat=True))
    assert reasons[0] == "Deactivated: not signed in for 90 days"


def test_a_second_run_finds_nobody(accounts):
    call_command("deactivate_leavers", stdout=StringIO())
    out = StringIO()
    call_command("deactivate_leavers", stdout=out)
    assert out.getvalue().strip() == "0 account(s) deactivated."


def test_the_limit_is_a_setting_and_an_option(accounts, settings):
    settings.LEAVER_AFTER_DAYS = 365
    call_command("deactivate_leavers", stdout=StringIO())
    assert User.objects.filter(is_active=False).count() == 1  # only the one already off
    call_command("deactivate_leavers", "--days", "50", stdout=StringIO())
    assert set(User.objects.filter(is_active=False).values_list("username", flat=True)) == {
        "left",
        "just-under",
        "never-old",
        "already-off",
    }


def test_a_dry_run_changes_nothing(accounts, caplog):
    before = everything(accounts.values())
    out = StringIO()
    call_command("deactivate_leavers", "--dry-run", stdout=out)
    assert "2 account(s) would be deactivated (dry run)." in out.getvalue()
    assert everything(accounts.values()) == before
    assert "Leaver (not deactivated: dry run): left" in caplog.text


def test_a_bad_number_of_days_is_refused(accounts):
    with pytest.raises(CommandError, match="--days must be"):
        call_command("deactivate_leavers", "--days", "0", stdout=StringIO())
    assert not User.objects.filter(username="left", is_active=False).exists()


def test_the_admin_lists_last_sign_in_and_second_factor(client, administrator, accounts):
    authenticator_for(accounts["recent"])
    client.force_login(administrator)
    url = reverse("admin:auth_user_changelist")
    page = client.get(url).text
    assert "Last login" in page and "Second factor set up" in page

    def row(username):
        start = page.index(f">{username}</a>")
        return page[start : page.index("</tr>", start)]

    assert 'alt="True"' in row("recent") and 'alt="False"' in row("left")
    assert '<td class="field-last_login nowrap">-</td>' in row("never-new")
    assert timezone.localtime(accounts["left"].last_login).strftime("%Y") in row("left")

    def more():
        for n in range(20):
            authenticator_for(UserFactory(username=f"more{n}"))

    assert_queries_do_not_grow(client, url, more)


def test_the_limit_comes_from_the_environment_and_nonsense_is_refused():
    from tests.test_settings import STRONG_KEY, django_setting

    assert django_setting("LEAVER_AFTER_DAYS", DJANGO_SECRET_KEY=STRONG_KEY).stdout.strip() == "90"
    chosen = django_setting(
        "LEAVER_AFTER_DAYS", DJANGO_SECRET_KEY=STRONG_KEY, DJANGO_LEAVER_AFTER_DAYS="30"
    )
    assert chosen.stdout.strip() == "30"
    for bad in ("0", "-5", "ninety"):
        refused = django_setting(
            "LEAVER_AFTER_DAYS", DJANGO_SECRET_KEY=STRONG_KEY, DJANGO_LEAVER_AFTER_DAYS=bad
        )
        assert refused.returncode != 0
        assert "DJANGO_LEAVER_AFTER_DAYS must be a whole number of days" in refused.stderr
