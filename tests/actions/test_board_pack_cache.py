"""The board pack is made once and shared: same pack, same record, same day, one render.

It is as at now unless the board asks for an earlier day, like every other format: any
change to the record makes it again (history is append-only, so the key moves). As at a
past day, ratings recorded since cannot change it, and do not remake it.
"""

import datetime
import io

import pypdf
import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from actions.reports import board_pack
from tests.factories import RatingFactory, UserFactory

PACK = reverse("actions:board-pack")


@pytest.fixture
def renders(settings, monkeypatch):
    """A real (in-memory) cache, and a count of the packs WeasyPrint makes."""
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "p"},
    }
    made = []
    make = board_pack.board_pack_pdf

    def counted(context, base_url):
        made.append(context["as_at"])
        return make(context, base_url)

    monkeypatch.setattr(board_pack, "board_pack_pdf", counted)
    yield made
    from django.core.cache import cache

    cache.clear()


def pack_text(response, pages=slice(0, 1)):
    """The text of the pack's first page, or of the `pages` asked for."""
    pdf = pypdf.PdfReader(io.BytesIO(response.content))
    return " ".join(" ".join(page.extract_text().split()) for page in pdf.pages[pages])


def test_everyone_gets_one_pack_made_once(client, owned_action, board_member, renders):
    client.force_login(board_member)
    first = client.get(PACK)
    client.force_login(UserFactory(username="chair", board_member=True))
    second = client.get(PACK)
    assert first.status_code == second.status_code == 200
    assert first.content == second.content
    assert len(renders) == 1


def test_the_pack_is_as_at_now_by_default_like_the_grid_and_its_exports(
    client, owned_action, board_member
):
    client.force_login(board_member)
    response = client.get(PACK)
    today = timezone.localdate()
    text = pack_text(response)
    assert f"As at {today.day} {today:%B %Y}: everything recorded up to" in text
    assert f"board pack, as at {today.day} {today:%B %Y}" in text  # the page footer
    xlsx = client.get(reverse("actions:grid-xlsx"))
    assert f"as-at-{today:%Y-%m-%d}-board-pack.pdf" in response["Content-Disposition"]
    assert f"as-at-{today:%Y-%m-%d}" in xlsx["Content-Disposition"]  # now, to the minute


def test_the_default_pack_shows_a_rating_recorded_a_moment_ago(
    client, owned_action, officer, board_member, approver, renders
):
    from actions.services import rating_decide

    client.force_login(board_member)
    client.get(PACK)
    rating = RatingFactory(
        action=owned_action,
        month=datetime.date(2018, 9, 1),
        rating="red",
        commentary="Slipped: the panel did not meet",
        recorded_by=officer,
        submitted=True,
    )
    rating_decide(rating=rating, user=approver, expected_version=rating.version, accept=True)
    remade = client.get(PACK)
    assert len(renders) == 2
    assert "Sep 2018" in pack_text(remade, slice(None))


def test_ratings_recorded_after_a_past_as_at_do_not_remake_it_other_changes_do(
    client, owned_action, officer, board_member, renders
):
    client.force_login(board_member)
    query = {"as_at": "30/06/2018"}
    client.get(PACK, query)
    RatingFactory(action=owned_action, month=datetime.date(2018, 7, 1), recorded_by=officer)
    client.get(PACK, query)
    assert len(renders) == 1
    owned_action.text = "Write the clearer words of the action"
    owned_action.save()
    remade = client.get(PACK, query)
    assert len(renders) == 2
    assert f"{owned_action.code} Write the clearer words of the action" in pack_text(
        remade, slice(None)
    )


def test_a_pack_as_at_today_includes_todays_ratings(
    client, owned_action, officer, board_member, renders
):
    client.force_login(board_member)
    today = timezone.localdate().strftime("%d/%m/%Y")
    client.get(PACK, {"as_at": today})
    RatingFactory(action=owned_action, month=datetime.date(2018, 7, 1), recorded_by=officer)
    client.get(PACK, {"as_at": today})
    assert len(renders) == 2


def test_the_nightly_job_makes_the_pack_before_anyone_asks(
    client, owned_action, board_member, renders
):
    out = io.StringIO()
    call_command("prepare_board_pack", stdout=out)
    today = timezone.localdate()
    plan = owned_action.required_outcome.plan
    assert f"Board pack for {plan.short_name} as at {today:%d %B %Y} ready" in out.getvalue()
    client.force_login(board_member)
    assert client.get(PACK).status_code == 200
    assert len(renders) == 1
