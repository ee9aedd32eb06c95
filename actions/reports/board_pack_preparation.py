"""Preparing board packs so that nobody waits for one: made ahead (after an approval
decision, and nightly by prepare_board_pack) and kept in the shared cache; a pack not
kept yet starts its render in the background and the person is shown "The board pack is
being prepared", a page that looks again by itself.

- At most BOARD_PACK_RENDERS packs are made at once across every app server: slots kept
  in the shared cache with `cache.add`. A render that fails frees its slot at once; one
  whose server was killed frees it when the slot's timeout (SLOT_SECONDS) runs out.
- A request never waits for a slot or a render. When every slot is busy, it queues a job
  that waits its turn (`queued_job`: at most one waiting per view of the pack, whatever
  has been recorded since) and the page says so (202). The nightly job, a decision's
  preparation and a queued job wait for a slot, at most WAIT_FOR_SLOT seconds, then give
  up cleanly; each makes the pack as it is when its slot comes free.
- BOARD_PACK_IN_BACKGROUND (on in production) hands renders to the job runner
  (wsoa_tracker.jobs.enqueue: a worker makes them); off (the tests), they run at once in
  the caller. `prepare_every_plan` is the nightly schedule's job (wsoa_tracker/schedules.py).
"""

import logging
import time
import uuid

from django.conf import settings
from django.core.cache import cache
from django.http import QueryDict

from wsoa_tracker import jobs

from . import board_pack
from .board_pack import PackBeingPrepared, pack_request

logger = logging.getLogger(__name__)

PACK_KEPT_FOR = 24 * 60 * 60
# Longer than the slowest render seen (217 s on a busy machine before the layout was made
# cheaper), so that a slow render keeps its slot.
SLOT_SECONDS = 5 * 60
WAIT_FOR_SLOT = SLOT_SECONDS  # a slot held longer than this has been freed by its timeout
WAIT_STEP = 2  # seconds between looks for a free slot
pause, clock = time.sleep, time.monotonic  # tests replace them


class NoSlotFree(Exception):
    """No render slot came free within the wait."""


def slot_keys():
    return [f"board-pack:slot:{n}" for n in range(max(1, settings.BOARD_PACK_RENDERS))]


def take_slot():
    """A render slot, shared by every app server through the cache, or None if all are
    taken. It frees itself after SLOT_SECONDS should its holder never free it."""
    token = uuid.uuid4().hex
    for key in slot_keys():
        if cache.add(key, token, timeout=SLOT_SECONDS):
            return key, token
    return None


def free_slot(slot):
    key, token = slot
    if cache.get(key) == token:  # not one that timed out and was taken again
        cache.delete(key)


def serve(plan, query, base_url):
    """(pdf, as_at) of the pack `query` asks for, if kept. Otherwise its render starts
    (in the background) if a slot is free, or waits its turn in the background, and
    PackBeingPrepared is raised, at once; BadPackRequest for a request the pack refuses."""
    pack = pack_request(plan, query)
    pdf = cache.get(pack.key)
    if pdf is None:
        slot = take_slot()
        if slot is None:
            raise PackBeingPrepared(started=False, queued=queue(pack, query, base_url))
        pdf = render(pack, query, base_url, slot)
        if pdf is None:
            raise PackBeingPrepared(started=True)
    return pdf, pack.as_at


def render(pack, query, base_url, slot):
    """Make and keep `pack` holding `slot`: by a job (None is returned) or, with
    BOARD_PACK_IN_BACKGROUND off, at once (its PDF). The slot is freed when it ends."""
    making = pack.key + ":making"
    if not cache.add(making, True, timeout=SLOT_SECONDS):  # being made elsewhere
        free_slot(slot)
        return None
    if settings.BOARD_PACK_IN_BACKGROUND:
        plan = pack.plan.pk if pack.plan else None
        args = (plan, query.urlencode(), base_url, *slot, making)
        jobs.enqueue("actions.reports.board_pack_preparation.render_job", *args)
        return None
    return make_and_keep(pack, base_url, slot, making)


def queue(pack, query, base_url):
    """Whether `pack` waits its turn for a render slot: in the background only, by a job,
    queued unless one for the same view waits already. The mark is dropped once that job
    has its slot (a request after it queues again: the pack may have changed since)."""
    if not settings.BOARD_PACK_IN_BACKGROUND:
        return False
    mark = pack.view + ":queued"
    if cache.add(mark, True, timeout=WAIT_FOR_SLOT + SLOT_SECONDS):
        plan = pack.plan.pk if pack.plan else None
        jobs.enqueue(QUEUED_JOB, plan, query.urlencode(), base_url, mark)
    return True


QUEUED_JOB = "actions.reports.board_pack_preparation.queued_job"


def queued_job(plan_id, query, base_url, mark):
    """The job of a request that found every slot busy: the pack, as it is once a slot
    comes free, unless kept by then (or no slot comes free within WAIT_FOR_SLOT)."""
    from actions.models import Plan

    try:
        plan = Plan.objects.get(pk=plan_id) if plan_id is not None else None
        prepare(plan, QueryDict(query), base_url=base_url, on_slot=lambda: cache.delete(mark))
    except NoSlotFree as problem:
        logger.warning("%s", problem)
    finally:
        cache.delete(mark)


def render_job(plan_id, query, base_url, slot_key, slot_token, making):
    """The job of a render started by a request: the same pack, made and kept holding the
    slot the request took (freed, with the "making" mark, however it ends). A retry, or
    a job taken after its slot timed out, holds no slot and makes nothing: the page that
    asks again starts another render."""
    from actions.models import Plan

    if cache.get(slot_key) != slot_token:
        return
    try:
        plan = Plan.objects.get(pk=plan_id) if plan_id is not None else None
        pack = pack_request(plan, QueryDict(query))
    except Exception:
        cache.delete(making)
        free_slot((slot_key, slot_token))
        raise
    make_and_keep(pack, base_url, (slot_key, slot_token), making)


def make_and_keep(pack, base_url, slot, making):
    try:
        pdf = board_pack.make_pdf(pack, base_url)
        cache.set(pack.key, pdf, timeout=PACK_KEPT_FOR)
        return pdf
    finally:
        cache.delete(making)
        free_slot(slot)


def prepare(plan, query=None, *, base_url=None, wait=WAIT_FOR_SLOT, on_slot=None):
    """(pdf, as_at, made): the pack `query` asks for (the plan's default view: as at now,
    unfiltered), made and kept now unless kept already. Waits up to `wait` seconds for a
    render slot (or for the same pack being made elsewhere); then NoSlotFree. `on_slot()`
    is called once a slot is held, before the render."""
    base_url = base_url or settings.SITE_URL
    deadline = clock() + wait
    while True:
        pack = pack_request(plan, query or QueryDict())
        pdf = cache.get(pack.key)
        if pdf is not None:
            return pdf, pack.as_at, False
        slot = take_slot()
        if slot is not None:
            making = pack.key + ":making"
            if cache.add(making, True, timeout=SLOT_SECONDS):
                if on_slot is not None:
                    on_slot()
                return make_and_keep(pack, base_url, slot, making), pack.as_at, True
            free_slot(slot)
        if clock() >= deadline:
            raise NoSlotFree(
                f"No board pack render slot came free within {wait:.0f} s "
                f"(BOARD_PACK_RENDERS is {settings.BOARD_PACK_RENDERS}): run it again later."
            )
        pause(WAIT_STEP)


def prepare_after_decision(plan):
    """Called once an approval decision is committed: the plan's default pack, made by a
    job (or at once with BOARD_PACK_IN_BACKGROUND off)."""
    if not settings.BOARD_PACK_PREPARE_ON_DECISION:
        return
    if settings.BOARD_PACK_IN_BACKGROUND:
        jobs.enqueue("actions.reports.board_pack_preparation.prepare_job", plan.pk)
    else:
        prepare_job(plan.pk)


def prepare_job(plan_id):
    """The plan's default pack, unless no render slot comes free within the wait."""
    from actions.models import Plan

    try:
        prepare(Plan.objects.get(pk=plan_id))
    except NoSlotFree as problem:
        logger.warning("%s", problem)


def prepare_every_plan(wait=WAIT_FOR_SLOT):
    """The default pack of every plan (the nightly job, and `manage.py prepare_board_pack`):
    one (plan's short name, as at, size in bytes, made now, seconds) each. NoSlotFree,
    naming the plan, if no slot comes free within `wait` seconds."""
    from actions.models import Plan

    done = []
    for plan in Plan.objects.order_by("first_quarter_end"):
        started = time.perf_counter()
        try:
            pdf, as_at, made = prepare(plan, wait=wait)
        except NoSlotFree as problem:
            raise NoSlotFree(f"Board pack for {plan.short_name} not made: {problem}") from None
        done.append((plan.short_name, as_at, len(pdf), made, time.perf_counter() - started))
    return done
