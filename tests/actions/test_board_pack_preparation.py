"""Nobody waits for the board pack: it is prepared after each approval decision and
nightly, and a pack not made yet starts its render in the background and shows "being
prepared" at once. The suite makes packs at once (BOARD_PACK_IN_BACKGROUND off) except
where a test hands them to the job runner (whose jobs the tests run at once, in order)."""

import io

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.urls import reverse

from actions.reports import board_pack
from actions.reports import board_pack_preparation as preparation
from actions.services import rating_decide

PACK = reverse("actions:board-pack")


@pytest.fixture
def renders(settings, monkeypatch):
    """A real (in-memory) cache, one render slot, and a stand-in for WeasyPrint that
    counts the packs made."""
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "r"},
    }
    settings.BOARD_PACK_RENDERS = 1
    made = []

    def render(context, base_url):
        made.append((context["as_at"], context["filtered_by"]))
        return b"%PDF-1.7 a pack"

    monkeypatch.setattr(board_pack, "board_pack_pdf", render)
    cache.clear()
    yield made
    cache.clear()


@pytest.fixture
def slot_busy_until_a_pause(renders, monkeypatch):
    """The only render slot, held by another member's pack until the first wait for it
    (the render ends then): the waits made, in seconds."""
    busy = preparation.take_slot()
    waits = []

    def pause(seconds):
        waits.append(seconds)
        preparation.free_slot(busy)

    monkeypatch.setattr(preparation, "pause", pause)
    return waits


def jobs_run(task):
    """The runner's record of the jobs that ran `task` (successes and failures)."""
    from django_q.models import Task

    return list(Task.objects.filter(group=f"actions.reports.board_pack_preparation.{task}"))


@pytest.mark.django_db(transaction=True)
def test_a_pack_not_made_yet_is_being_prepared_at_once_then_served(
    role_groups,
    client,
    owned_action,
    board_member,
    renders,
    settings,
    history_guards_lifted_for_flush,
):
    settings.BOARD_PACK_IN_BACKGROUND = True
    client.force_login(board_member)
    response = client.get(PACK, {"as_at": "30/06/2018"})
    assert response.status_code == 202 and int(response["Retry-After"]) > 0
    page = response.content.decode()
    assert "The board pack is being prepared" in page
    assert 'role="status"' in page and "board-pack-preparing.js" in page
    assert f'href="{PACK}?as_at=30%2F06%2F2018">Check again' in page
    assert [job.success for job in jobs_run("render_job")] == [True]
    assert len(renders) == 1
    made = client.get(PACK, {"as_at": "30/06/2018"})
    assert made.status_code == 200 and made["Content-Type"] == "application/pdf"
    assert len(renders) == 1


@pytest.mark.django_db(transaction=True)
def test_while_every_slot_is_busy_the_pack_waits_its_turn_then_is_made(
    role_groups,
    client,
    owned_action,
    board_member,
    renders,
    settings,
    slot_busy_until_a_pause,
    history_guards_lifted_for_flush,
):
    """The page's promise, "made as soon as that ends", is kept: the request queues a job
    that waits for the slot (the tests run jobs at once, so it waits here), and says
    202, accepted, not 503."""
    settings.BOARD_PACK_IN_BACKGROUND = True
    client.force_login(board_member)
    response = client.get(PACK)
    assert response.status_code == 202 and int(response["Retry-After"]) > 0
    assert "Another board pack is being made first" in response.content.decode()
    assert "this one is made as soon as that ends" in response.content.decode()
    assert [job.success for job in jobs_run("queued_job")] == [True]
    assert len(slot_busy_until_a_pause) == 1 and len(renders) == 1
    made = client.get(PACK)
    assert made.status_code == 200 and made.content == b"%PDF-1.7 a pack"
    assert len(renders) == 1 and jobs_run("render_job") == []


def test_a_view_waiting_for_a_slot_is_queued_once_however_often_it_is_asked_for(
    client, owned_action, board_member, renders, settings, monkeypatch
):
    settings.BOARD_PACK_IN_BACKGROUND = True
    queued = []
    monkeypatch.setattr(preparation.jobs, "enqueue", lambda task, *args: queued.append(task))
    busy = preparation.take_slot()
    client.force_login(board_member)
    assert [client.get(PACK).status_code for _ in range(3)] == [202, 202, 202]
    assert client.get(PACK, {"as_at": "30/06/2018"}).status_code == 202
    assert queued == ["actions.reports.board_pack_preparation.queued_job"] * 2  # two views
    assert renders == []
    preparation.free_slot(busy)


def test_without_background_jobs_a_busy_slot_is_a_503_that_starts_nothing(
    client, owned_action, board_member, renders, settings
):
    settings.BOARD_PACK_IN_BACKGROUND = False  # as the tests run: nothing can wait its turn
    busy = preparation.take_slot()
    client.force_login(board_member)
    response = client.get(PACK)
    assert response.status_code == 503
    page = response.content.decode()
    assert "Another board pack is being made first" in page
    assert "made as soon as that ends" not in page and "looks again" in page
    assert jobs_run("render_job") == [] and jobs_run("queued_job") == [] and renders == []
    preparation.free_slot(busy)


def test_a_decision_prepares_the_plans_default_pack_once_it_is_committed(
    client,
    june_rating,
    approver,
    board_member,
    renders,
    settings,
    django_capture_on_commit_callbacks,
):
    settings.BOARD_PACK_PREPARE_ON_DECISION = True
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        rating_decide(
            rating=june_rating, user=approver, expected_version=june_rating.version, accept=True
        )
    assert renders == []  # nothing before the decision is committed
    for callback in callbacks:
        callback()
    assert len(renders) == 1
    client.force_login(board_member)
    assert client.get(PACK).status_code == 200  # served from the cache, not made again
    assert len(renders) == 1


@pytest.mark.django_db(transaction=True)
def test_a_decision_prepares_the_pack_by_a_job(
    role_groups,
    client,
    june_rating,
    approver,
    board_member,
    renders,
    settings,
    history_guards_lifted_for_flush,
):
    settings.BOARD_PACK_PREPARE_ON_DECISION = True
    settings.BOARD_PACK_IN_BACKGROUND = True
    rating_decide(
        rating=june_rating, user=approver, expected_version=june_rating.version, accept=True
    )
    assert [job.success for job in jobs_run("prepare_job")] == [True]
    assert len(renders) == 1
    client.force_login(board_member)
    response = client.get(PACK)
    assert response.status_code == 200 and response.content == b"%PDF-1.7 a pack"
    assert len(renders) == 1


def test_the_nightly_job_waits_for_a_busy_slot_then_makes_the_pack(
    owned_action, renders, slot_busy_until_a_pause
):
    out = io.StringIO()
    call_command("prepare_board_pack", stdout=out)
    assert len(slot_busy_until_a_pause) == 1 and len(renders) == 1
    assert "ready: 0 KB, made in" in out.getvalue()


def test_the_nightly_job_stops_cleanly_when_no_slot_comes_free_in_time(
    owned_action, renders, monkeypatch
):
    preparation.take_slot()  # held for longer than the job will wait
    now = [0.0]
    monkeypatch.setattr(preparation, "clock", lambda: now[0])
    monkeypatch.setattr(preparation, "pause", lambda seconds: now.__setitem__(0, now[0] + seconds))
    with pytest.raises(CommandError, match="No board pack render slot came free within 10 s"):
        call_command("prepare_board_pack", "--wait", "10", stdout=io.StringIO())
    assert renders == [] and now[0] >= 10


def test_the_nightly_job_does_not_make_a_pack_already_made(owned_action, renders):
    call_command("prepare_board_pack", stdout=io.StringIO())
    out = io.StringIO()
    call_command("prepare_board_pack", stdout=out)
    assert "already made" in out.getvalue() and len(renders) == 1


def test_a_render_job_whose_slot_is_no_longer_held_makes_nothing(owned_action, renders):
    """A retry of a failed render (its slot freed), or a job taken after its slot timed
    out, must not render beyond BOARD_PACK_RENDERS."""
    slot = preparation.take_slot()
    preparation.free_slot(slot)
    preparation.render_job(owned_action.required_outcome.plan.pk, "", "http://x/", *slot, "m")
    assert renders == []
    held = preparation.take_slot()
    preparation.render_job(owned_action.required_outcome.plan.pk, "", "http://x/", *held, "m")
    assert len(renders) == 1 and preparation.take_slot() is not None  # made, slot freed
