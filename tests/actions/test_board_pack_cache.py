"""The board pack is made once and shared: same pack, same record, same day, one render.

It is as at the end of yesterday unless the board asks for another day, so the ratings
officers record during a board day do not remake it; any other change to the record does.
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
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "p"}
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


def test_the_pack_is_as_at_the_end_of_yesterday_by_default(client, owned_action, board_member):
    client.force_login(board_member)
    response = client.get(PACK)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    assert f"as at {yesterday.day} {yesterday:%B %Y}" in pack_text(response)
    assert f"as-at-{yesterday:%Y-%m-%d}-board-pack.pdf" in response["Content-Disposition"]


def test_ratings_recorded_today_do_not_remake_it_other_changes_do(
    client, owned_action, officer, board_member, renders
):
    client.force_login(board_member)
    client.get(PACK)
    RatingFactory(action=owned_action, month=datetime.date(2018, 7, 1), recorded_by=officer)
    client.get(PACK)
    assert len(renders) == 1
    owned_action.text = "Write the clearer words of the action"
    owned_action.save()
    remade = client.get(PACK)
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
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    plan = owned_action.required_outcome.plan
    assert f"Board pack for {plan.short_name} as at {yesterday:%d %B %Y} ready" in out.getvalue()
    client.force_login(board_member)
    assert client.get(PACK).status_code == 200
    assert len(renders) == 1
