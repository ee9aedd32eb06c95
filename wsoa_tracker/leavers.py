"""Leavers: an active account nobody has signed in to for LEAVER_AFTER_DAYS (counted from
when it was made, if never) is deactivated, with a line in the log and a row in the
account's history; the account, its records and its history are kept."""

import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

logger = logging.getLogger("wsoa_tracker.leavers")


def leavers(*, now, days):
    """Active accounts not signed in to since `days` before `now`."""
    cutoff = now - timedelta(days=days)
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(last_login__lt=cutoff) | Q(last_login__isnull=True, date_joined__lt=cutoff))
        .order_by("username")
    )


@transaction.atomic
def leavers_deactivate(*, now=None, days=None, dry_run=False):
    """Deactivates each leaver (or, with `dry_run`, only says who they are); returns them."""
    now = now or timezone.now()
    days = settings.LEAVER_AFTER_DAYS if days is None else days
    found = list(leavers(now=now, days=days).select_for_update())
    for user in found:
        last = user.last_login or user.date_joined
        since = "last signed in" if user.last_login else "never signed in; made"
        if dry_run:
            logger.info(
                "Leaver (not deactivated: dry run): %s, %s %s",
                user.get_username(),
                since,
                last.date().isoformat(),
            )
            continue
        user.is_active = False
        user._change_reason = f"Deactivated: not signed in for {days} days"
        user.save(update_fields=["is_active"])
        logger.info(
            "Deactivated leaver %s: %s %s, over %d days ago",
            user.get_username(),
            since,
            last.date().isoformat(),
            days,
        )
    return found


def deactivate_leavers_job():
    """The daily schedule's job (wsoa_tracker/schedules.py): what it did, in words."""
    return f"{len(leavers_deactivate())} account(s) deactivated."
