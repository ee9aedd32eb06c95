"""Writes that officers make: recording and correcting a month's rating.

Each runs in one transaction and records who did it; the history library keeps every
version. A save made from an out-of-date form is refused (RatingConflict), never merged.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import Rating, RatingSource


class RatingConflict(Exception):
    """Someone else saved this action's month while the user was editing."""

    def __init__(self, current):
        self.current = current
        super().__init__(f"{current} was changed by {current.recorded_by}")


def rating_record(*, action, month, user, rating, commentary, evidence, evidence_links):
    """Record a new month's rating. Refused if someone recorded that month meanwhile."""
    new = Rating(
        action=action,
        month=month,
        rating=rating,
        commentary=commentary,
        evidence=evidence,
        evidence_links=evidence_links,
        source=RatingSource.USER,
        recorded_by=user,
        recorded_at=timezone.now(),
    )
    new.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            new.save()
    except IntegrityError:
        raise RatingConflict(Rating.objects.get(action=action, month=month)) from None
    return new


def rating_correct(*, original, user, expected_version, reason, **values):
    """Correct a recorded rating, with a reason; the earlier version stays in the history."""
    with transaction.atomic():
        # On PostgreSQL the row lock makes two corrections queue; SQLite's IMMEDIATE
        # transactions already let only one writer in at a time.
        current = Rating.objects.select_for_update().get(pk=original.pk)
        if current.version != expected_version:
            raise RatingConflict(current)
        for name, value in values.items():
            setattr(current, name, value)
        current.source = RatingSource.USER
        current.recorded_by = user
        current.recorded_at = timezone.now()
        current.version += 1
        current.full_clean()
        current._change_reason = reason
        current.save()
    return current
