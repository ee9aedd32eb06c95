"""A board pack on demand cannot be used to tie up the servers: only the grid's own
parameters make a pack (normalised, so one pack answers however they are written), bad
ones are refused, and only BOARD_PACK_RENDERS packs are made at once across every app
server; a request that finds none free and no pack made is told to come back, at once."""

import datetime
import time

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from actions.reports import board_pack
from actions.reports import board_pack_preparation as preparation
from actions.rules import as_at as as_at_rule

PACK = reverse("actions:board-pack")


@pytest.fixture
def renders(settings, monkeypatch):
    """A real (in-memory) cache, one render slot, and a stand-in for WeasyPrint that
    counts the packs made (and can be told to fail)."""
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "l"},
    }
    settings.BOARD_PACK_RENDERS = 1

    class Made(list):
        render = None

    made = Made()

    def render(context, base_url):
        made.append(context["as_at"])
        if getattr(render, "fails", False):
            raise RuntimeError("WeasyPrint died")
        return b"%PDF-1.7 a pack"

    monkeypatch.setattr(board_pack, "board_pack_pdf", render)
    made.render = render
    cache.clear()
    yield made
    cache.clear()


@pytest.fixture
def member(client, board_member):
    client.force_login(board_member)
    return client


@pytest.mark.parametrize(
    "query, words",
    [
        ({"colour": "red"}, "“colour”"),
        ({"as_at": "2018-06-30", "nocache": "1"}, "“nocache”"),
    ],
)
def test_an_unknown_parameter_is_refused_and_nothing_is_made(
    member, owned_action, renders, query, words
):
    response = member.get(PACK, query)
    assert response.status_code == 400
    page = response.content.decode()
    assert words in page and "is not a parameter the board pack knows" in page
    assert renders == []


@pytest.mark.parametrize(
    "query, message",
    [
        ({"as_at": "31/02/2018"}, "Enter the date as day/month/year, for example 31/03/2018"),
        ({"as_at": "yesterday"}, "Enter the date as day/month/year, for example 31/03/2018"),
        ({"weakness": "999999"}, "Choose a weakness of this plan from the list"),
        ({"latest_rating": "purple"}, "Choose a rating from the list"),
    ],
)
def test_a_bad_value_is_refused_with_its_error_not_ignored(
    member, owned_action, renders, query, message
):
    response = member.get(PACK, query)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert renders == []


def test_the_same_pack_however_it_is_asked_for_is_made_once(member, owned_action, renders):
    owner = owned_action.owners.get()
    plan = owned_action.required_outcome.plan
    for query in (
        {"as_at": "30/06/2018"},
        {"as_at": "2018-06-30"},
        {"as_at": "30/06/2018", "weakness": "", "owner": "", "overdue": ""},
        {"as_at": "30/06/2018", "plan": plan.slug},
    ):
        assert member.get(PACK, query).status_code == 200
    assert len(renders) == 1
    assert member.get(PACK, {"as_at": "30/06/2018", "owner": owner.pk}).status_code == 200
    assert member.get(PACK, {"as_at": "2018-06-30", "owner": f"{owner.pk}"}).status_code == 200
    assert len(renders) == 2


@pytest.mark.parametrize("as_at", ["31/12/2099", "tomorrow"])
def test_a_pack_as_at_a_day_after_today_is_refused(member, owned_action, renders, as_at):
    if as_at == "tomorrow":
        as_at = f"{timezone.localdate() + datetime.timedelta(days=1):%d/%m/%Y}"
    response = member.get(PACK, {"as_at": as_at})
    assert response.status_code == 400
    page = response.content.decode()
    assert "The board pack cannot be made with that request" in page
    assert as_at_rule.FUTURE in page  # the grid's own refusal, in the same words
    assert renders == []
    today = f"{timezone.localdate():%d/%m/%Y}"
    assert member.get(PACK, {"as_at": today}).status_code == 200


def test_no_free_slot_and_no_pack_made_says_come_back_and_makes_nothing(
    member, owned_action, renders
):
    other = preparation.take_slot()  # another app server is making a pack
    assert other is not None
    response = member.get(PACK)
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    assert "The board pack is being prepared" in response.content.decode()
    assert renders == []
    preparation.free_slot(other)
    assert member.get(PACK).status_code == 200
    assert len(renders) == 1


def test_a_pack_already_made_is_served_while_every_slot_is_busy(member, owned_action, renders):
    assert member.get(PACK).status_code == 200
    preparation.take_slot()
    assert member.get(PACK).status_code == 200
    assert len(renders) == 1


def test_the_same_pack_being_made_elsewhere_is_not_waited_for(
    member, owned_action, renders, settings
):
    """With slots to spare, a second request for a pack being made does not make it too,
    nor hold a worker waiting for it."""
    settings.BOARD_PACK_RENDERS = 2
    making = board_pack.pack_request(owned_action.required_outcome.plan, {}).key + ":making"
    cache.add(making, True, timeout=60)
    started = time.monotonic()
    response = member.get(PACK)
    assert response.status_code == 202 and time.monotonic() - started < 5
    assert "The board pack is being prepared" in response.content.decode()
    assert renders == []


def test_a_render_that_fails_frees_its_slot_at_once(client, board_member, owned_action, renders):
    client.raise_request_exception = False
    client.force_login(board_member)
    renders.render.fails = True
    assert client.get(PACK).status_code == 500
    renders.render.fails = False
    assert client.get(PACK).status_code == 200
    assert len(renders) == 2


def test_a_killed_render_frees_its_slot_within_the_slots_timeout(
    member, owned_action, renders, monkeypatch
):
    monkeypatch.setattr(preparation, "SLOT_SECONDS", 1)
    preparation.take_slot()  # its server was killed: nobody frees it
    assert member.get(PACK).status_code == 503
    time.sleep(1.2)
    assert member.get(PACK).status_code == 200


def test_slots_are_shared_and_bounded(renders, settings):
    settings.BOARD_PACK_RENDERS = 2
    first, second = preparation.take_slot(), preparation.take_slot()
    assert first and second and preparation.take_slot() is None
    preparation.free_slot(first)
    assert preparation.take_slot() is not None
