"""The outbox: writing a message in the event's own transaction (`queue()`), asking for it
to be delivered once that commits, and delivering it exactly once (`deliver()`), with the
sweep that sends what is waiting or due a retry (`deliver_pending()`).

Delivering first claims the row (one UPDATE: only a waiting or retryable row that nobody
holds), so two workers, or the job and the sweep, never both send it; a sent or reported
row is never sent again. A Temporary error leaves it "will try again" after a wait that
doubles with each attempt (2, 4, 8 ... minutes, at most an hour), up to MAX_ATTEMPTS; then,
like a Permanent error, it is reported: kept with its error, logged, never sent again
unless an administrator asks (`send_again()`, the admin's "Send again")."""

import datetime
import logging
import uuid

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from wsoa_tracker.jobs import enqueue

from ..models import Notification, NotificationStatus
from . import channels

logger = logging.getLogger("wsoa_tracker.notify")

MAX_ATTEMPTS = 10
CLAIM = datetime.timedelta(minutes=5)  # longer than a send can take (NOTIFY_TIMEOUT)
SWEEP_SIZE = 200
OPEN = [NotificationStatus.WAITING, NotificationStatus.RETRYING]


class NotSentYet(Exception):
    """Raised by deliver() for a Temporary error, so that the job runner retries."""


def queue(*, user, kind, subject, body, link, key):
    """Write a message to `user` in the caller's transaction, delivered once it commits.
    None if a message with this key exists already (the event was told of before)."""
    notification, created = Notification.objects.get_or_create(
        key=key,
        defaults={"user": user, "kind": kind, "subject": subject, "body": body, "link": link},
    )
    if not created:
        return None
    pk = notification.pk
    # robust: where jobs run at once (the tests, or a runner in sync mode) a failure must
    # not undo the request; the row stays waiting for the sweep (deliver_pending).
    transaction.on_commit(
        lambda: enqueue("actions.notify.deliver", pk, key=f"notification-{pk}"), robust=True
    )
    return notification


def backoff(attempts):
    return datetime.timedelta(minutes=min(2**attempts, 60))


def claim(pk, now):
    free = Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    return (
        Notification.objects.filter(free, pk=pk, status__in=OPEN).update(
            claimed_until=now + CLAIM, attempts=F("attempts") + 1, attempted_at=now
        )
        == 1
    )


def finish(notification, **fields):
    Notification.objects.filter(pk=notification.pk).update(claimed_until=None, **fields)


def attempt(pk):
    """Try to send one message; returns its status after, or None if it was not ours to
    send (sent already, reported, or being sent by someone else)."""
    if not claim(pk, timezone.now()):
        return None
    notification = Notification.objects.select_related("user").get(pk=pk)
    try:
        provider_id = channels.send(notification)
    except channels.Temporary as error:
        if notification.attempts >= MAX_ATTEMPTS:
            return report(notification, f"{error} (gave up after {notification.attempts} tries)")
        logger.warning("notification_retry id=%s attempt=%s: %s", pk, notification.attempts, error)
        finish(notification, status=NotificationStatus.RETRYING, last_error=str(error))
        return NotificationStatus.RETRYING
    except channels.Permanent as error:
        return report(notification, str(error))
    finish(
        notification,
        status=NotificationStatus.SENT,
        provider_id=provider_id[:100],
        sent_at=timezone.now(),
    )
    logger.info("notification_sent id=%s kind=%s", pk, notification.kind)
    return NotificationStatus.SENT


def report(notification, error):
    logger.error(
        "notification_failed id=%s user=%s: %s", notification.pk, notification.user_id, error
    )
    finish(notification, status=NotificationStatus.FAILED, last_error=error)
    return NotificationStatus.FAILED


def deliver(pk):
    """The job for one message: sends it if it is still to be sent (run it twice and it is
    sent once). Raises NotSentYet when it should be tried again."""
    status = attempt(pk)
    if status == NotificationStatus.RETRYING:
        raise NotSentYet(f"notification {pk} not sent yet; it will be tried again")
    return status


def send_again(notifications):
    """An administrator's "Send again" for messages that could not be sent (once the
    address or key is put right): back to waiting with fresh attempts, delivered on
    commit. Returns how many."""
    pks = list(notifications.filter(status=NotificationStatus.FAILED).values_list("pk", flat=True))
    with transaction.atomic():
        Notification.objects.filter(pk__in=pks).update(
            status=NotificationStatus.WAITING, attempts=0, claimed_until=None
        )
        for pk in pks:
            again = uuid.uuid4().hex[:12]  # a new job key: the first job is done
            transaction.on_commit(
                lambda pk=pk, again=again: enqueue(
                    "actions.notify.deliver", pk, key=f"notification-{pk}-again-{again}"
                ),
                robust=True,
            )
    return len(pks)


def deliver_pending():
    """The sweep (every minute): sends every waiting message and every one whose wait
    before its next try is over, oldest first. Returns {status: count}."""
    now = timezone.now()
    rows = (
        Notification.objects.filter(status__in=OPEN)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .order_by("created_at", "pk")
        .values_list("pk", "status", "attempts", "attempted_at")[:SWEEP_SIZE]
    )
    counts = {}
    for pk, status, attempts, attempted_at in list(rows):
        if status == NotificationStatus.RETRYING and attempted_at + backoff(attempts) > now:
            continue
        outcome = attempt(pk)
        if outcome:
            counts[outcome] = counts.get(outcome, 0) + 1
    return counts
