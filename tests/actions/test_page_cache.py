"""The grid and weakness pages keep their grid sections rendered in the shared "pages"
cache, keyed on the record's newest history: a second visit renders nothing again, any
change to the record is seen at once, and a past day's grid stays cached."""

import datetime
import re

import pytest
import time_machine
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from actions.reports import page_cache
from tests.database import count_queries
from tests.factories import RatingFactory


@pytest.fixture(autouse=True)
def pages_cache(settings):
    settings.CACHES = {
        **settings.CACHES,
        "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pc"},
    }
    caches["pages"].clear()
    # A section as at now is keyed to the minute its words and links give; time stands
    # still here so that two visits never fall either side of a minute.
    moment = timezone.make_aware(datetime.datetime(2026, 12, 2, 10, 30))
    with time_machine.travel(moment, tick=False):
        yield
    caches["pages"].clear()


def grid_section(client, url):
    """The page's grid table, without the parts that change per request (CSRF tokens)."""
    page = client.get(url).content.decode()
    return re.search(r'<table class="govuk-table app-grid">.*?</table>', page, re.S).group(0)


RED = ">Red</strong>"


def weakness_url(action):
    action.required_outcome.plan.findings.add(action.required_outcome.weakness)
    return reverse("findings:detail", args=[action.required_outcome.weakness.pk])


def test_a_second_visit_serves_the_same_grid_without_building_it(
    client, owned_action, board_member
):
    client.force_login(board_member)
    url = reverse("actions:grid")
    first = count_queries(client, url)
    second = count_queries(client, url)
    assert second < first - 3
    assert grid_section(client, url) == grid_section(client, url)


def test_a_new_rating_is_shown_at_once(client, owned_action, board_member, officer):
    client.force_login(board_member)
    url = reverse("actions:grid")
    assert RED not in grid_section(client, url)
    RatingFactory(action=owned_action, month=datetime.date(2018, 9, 1), rating="red")
    assert RED in grid_section(client, url)


def test_a_past_day_stays_cached_after_a_new_rating_and_shows_what_was_known(
    client, owned_action, board_member
):
    client.force_login(board_member)
    today = datetime.date.today().isoformat()
    url = reverse("actions:grid") + "?as_at=" + today
    before = grid_section(client, url)
    cached = count_queries(client, url)
    RatingFactory(action=owned_action, month=datetime.date(2018, 9, 1), rating="red")
    # Today's end is not past, so its grid must change; yesterday's may not.
    assert grid_section(client, url) != before
    yesterday = (datetime.date.today() - datetime.timedelta(days=1)).isoformat()
    past = reverse("actions:grid") + "?as_at=" + yesterday
    shown = grid_section(client, past)
    built = count_queries(client, past)
    RatingFactory(action=owned_action, month=datetime.date(2018, 12, 1), rating="green")
    assert count_queries(client, past) == built <= cached
    assert grid_section(client, past) == shown and ">Green</strong>" not in shown


def test_each_view_has_its_own_entry(client, owned_action, board_member):
    RatingFactory(action=owned_action, month=datetime.date(2018, 9, 1), rating="red")
    client.force_login(board_member)
    everything = grid_section(client, reverse("actions:grid"))
    greens = grid_section(client, reverse("actions:grid") + "?latest_rating=green")
    assert owned_action.code in everything and owned_action.code not in greens


def test_a_section_over_the_size_bound_is_rendered_each_time(
    client, owned_action, board_member, monkeypatch
):
    monkeypatch.setattr(page_cache, "MAX_BYTES", 100)
    client.force_login(board_member)
    url = reverse("actions:grid")
    assert count_queries(client, url) == count_queries(client, url)


def test_the_weakness_page_is_cached_and_sees_a_new_rating(client, owned_action, board_member):
    client.force_login(board_member)
    url = weakness_url(owned_action)
    first = count_queries(client, url)
    assert count_queries(client, url) < first
    assert RED not in grid_section(client, url)
    RatingFactory(action=owned_action, month=datetime.date(2018, 9, 1), rating="red")
    assert RED in grid_section(client, url)


def test_an_officer_sees_the_same_cached_grid_a_board_member_sees(
    client, owned_action, board_member, officer
):
    client.force_login(board_member)
    shown = grid_section(client, reverse("actions:grid"))
    client.force_login(officer)
    assert grid_section(client, reverse("actions:grid")) == shown


def test_visits_within_one_minute_share_the_grid_and_the_next_minute_renders_it_anew(
    client, owned_action, board_member
):
    """As at now the section's words give the minute; its links carry the second it was
    rendered, which is as good as any later second until the record changes (the record's
    newest history is in the key)."""
    client.force_login(board_member)
    url = reverse("actions:grid")
    start = timezone.make_aware(datetime.datetime(2026, 12, 2, 10, 30, 5))
    with time_machine.travel(start, tick=False):
        first = count_queries(client, url)
    with time_machine.travel(start + datetime.timedelta(seconds=40), tick=False):
        later_that_minute = count_queries(client, url)
    with time_machine.travel(start + datetime.timedelta(seconds=55), tick=False):
        next_minute = count_queries(client, url)
    assert later_that_minute < first - 3
    # Built again (the session's once-a-minute refresh adds its own queries too).
    assert next_minute > later_that_minute + 3


def filter_form(client, url):
    page = client.get(url).content.decode()
    form = r'<details class="govuk-details"[^>]*>\s*<summary.{0,200}Filter the grid.*?</details>'
    return re.search(form, page, re.S).group(0)


def test_the_grids_filter_form_is_kept_with_its_section_and_sees_a_new_choice(
    client, owned_action, board_member
):
    """The form's choices (weaknesses, owner roles, organisations) are the record's: a
    cached visit reads none of them, and a new organisation is offered at once."""
    from tests.factories.organisations import OrganisationFactory

    client.force_login(board_member)
    url = reverse("actions:grid") + "?latest_rating=red"
    first = filter_form(client, url)
    assert 'value="red" selected' in first and "<details" in first and "open" in first
    with CaptureQueriesContext(connection) as cached:
        assert filter_form(client, url) == first
    read = " ".join(query["sql"] for query in cached.captured_queries)
    assert 'FROM "reviews_organisation"' not in read  # the organisations offered
    assert 'SELECT DISTINCT "actions_ownerrole"' not in read  # the owner roles offered
    OrganisationFactory(name="Oxfordshire Parent Carer Forum")
    assert "Oxfordshire Parent Carer Forum" in filter_form(client, url)


def action_rows(client, url=None):
    page = client.get(url or reverse("actions:list")).content.decode()
    return re.findall(r'<tr class="govuk-table__row"><th scope="row".*?</tr>', page, re.S)


def test_a_persons_actions_list_is_kept_for_them_and_sees_a_new_rating(
    client, owned_action, board_member
):
    client.force_login(board_member)
    url = reverse("actions:list")
    first = count_queries(client, url)
    assert count_queries(client, url) < first - 3  # the list is not built again
    before = action_rows(client)
    RatingFactory(action=owned_action, month=datetime.date(2018, 9, 1), rating="red")
    after = action_rows(client)
    assert after != before and RED in after[0] and "September 2018" in after[0]


def test_each_person_has_their_own_list_and_a_change_of_role_is_seen_at_once(
    client, owned_action, board_member, officer
):
    from django.contrib.auth.models import Group

    from actions import roles
    from tests.factories import ActionFactory

    ActionFactory(text="An action no role of the officer owns")
    client.force_login(board_member)
    assert len(action_rows(client)) == 2
    client.force_login(officer)
    page = client.get(reverse("actions:list")).content.decode()
    assert "My actions" in page and len(action_rows(client)) == 1
    # Groups have no history: a new role must still give a new list, not the old one.
    officer.groups.add(Group.objects.get(name=roles.BOARD_MEMBER))
    assert len(action_rows(client)) == 2
    client.force_login(board_member)
    assert client.get(reverse("actions:list"), {"page": 9}).status_code == 404


PUBLISH = "Publish a summary for families"


def test_a_weakness_story_is_kept_whole_and_only_its_approvers_are_offered_publishing(
    client, owned_action, board_member, approver
):
    from actions.models import Approver

    url = weakness_url(owned_action)
    Approver.objects.create(finding=owned_action.required_outcome.weakness, user=approver)
    client.force_login(board_member)
    first = count_queries(client, url)
    # Its verdicts, measures, calibration and plans are not read again either.
    assert count_queries(client, url) < first - 8
    assert PUBLISH not in client.get(url).content.decode()
    client.force_login(approver)
    assert PUBLISH in client.get(url).content.decode()
    client.force_login(board_member)
    assert PUBLISH not in client.get(url).content.decode()


def test_the_public_progress_page_is_kept_for_every_family_and_sees_a_new_rating(
    client, owned_action
):
    url = reverse("public-progress")
    first = count_queries(client, url)
    assert count_queries(client, url) <= 4 < first  # the area and the version, in a savepoint
    before = client.get(url).content.decode()
    RatingFactory(action=owned_action, month=datetime.date(2018, 9, 1), rating="red")
    assert client.get(url).content.decode() != before
