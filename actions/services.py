"""Writes that officers and reviewers make: recording and correcting a month's rating,
and accepting or returning it.

Each runs in one transaction and records who did it; the history library keeps every
version. A save made from an out-of-date form is refused (RatingConflict), never merged.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import Rating, RatingSource, ReviewStatus


class RatingConflict(Exception):
    """Someone else saved this action's month while the user was editing."""

    def __init__(self, current):
        self.current = current
        super().__init__(f"{current} was changed by {current.recorded_by}")


class AlreadyReviewed(Exception):
    """The update is no longer awaiting review (someone reviewed or corrected it)."""

    def __init__(self, current):
        self.current = current
        super().__init__(f"{current} is {current.get_review_status_display().lower()}")


def rating_record(
    *, action, month, user, rating, commentary, evidence, evidence_links, wider_system=""
):
    """Record a new month's rating, submitted for review. Refused if someone recorded that
    month meanwhile."""
    new = Rating(
        action=action,
        month=month,
        rating=rating,
        commentary=commentary,
        evidence=evidence,
        evidence_links=evidence_links,
        wider_system=wider_system,
        review_status=ReviewStatus.SUBMITTED,
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
    """Correct a recorded rating, with a reason; the earlier version stays in the history.
    The correction is submitted for review again (a returned update comes back this way);
    the reports keep the version accepted before it until a reviewer accepts this one."""
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
        current.review_status = ReviewStatus.SUBMITTED
        current.reviewed_by = current.reviewed_at = None
        current.full_clean()
        current._change_reason = reason
        current.save()
    return current


def rating_review(
    *, rating, user, expected_version, accept, return_reason="", board_rating="", board_note=""
):
    """Accept an update awaiting review (with the board's own rating where it differs), or
    return it to its officer with a reason. The view has checked who may review."""
    with transaction.atomic():
        current = Rating.objects.select_for_update().get(pk=rating.pk)
        if current.version != expected_version:
            raise RatingConflict(current)
        if current.review_status != ReviewStatus.SUBMITTED:
            raise AlreadyReviewed(current)
        if accept:
            current.review_status = ReviewStatus.ACCEPTED
            current.accepted_rating = current.rating
            current.board_rating = "" if board_rating == current.rating else board_rating
            current.board_note = board_note
            reason = f"Accepted as {current.get_rating_display()}"
            if current.board_rating:
                reason += f"; the board rates it {current.get_board_rating_display()}"
            if board_note:
                reason += f": {board_note}"
        else:
            current.review_status = ReviewStatus.RETURNED
            current.return_reason = return_reason
            reason = f"Returned: {return_reason}"
        current.reviewed_by, current.reviewed_at = user, timezone.now()
        current.version += 1
        current.full_clean()
        current._change_reason = reason
        current.save()
    return current
