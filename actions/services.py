"""Every write the tracker's pages and admin make, one function per write: recording and
correcting a month's rating, accepting or returning it, saving a rating in the admin,
adding a measure's figure, publishing a summary for families, uploading and confirming
a plan workbook, and issuing and revoking API tokens. Submitting and returning an update
write its notifications (actions.notify.events) in the same transaction.

Each is keyword-only, runs in one transaction, validates the row (full_clean) and records
who did it and why; the history library keeps every version. A save made from an
out-of-date form is refused (RatingConflict), never merged.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import (
    ApiToken,
    ApprovalStatus,
    MeasureFigure,
    PublicSummary,
    Rating,
    RatingSource,
    WorkbookUpload,
    api_tokens,
)
from .notify import events as notify_events
from .reports.board_pack_preparation import prepare_after_decision
from .rules.plan_life import refuse_if_closed
from .workbook import read as workbook_read
from .workbook import save as workbook_save


def plan_of(rating):
    return rating.action.required_outcome.plan


class RatingConflict(Exception):
    """Someone else saved this action's month while the user was editing."""

    def __init__(self, current):
        self.current = current
        super().__init__(f"{current} was changed by {current.recorded_by}")


class AlreadyDecided(Exception):
    """The update is no longer awaiting approval (someone reviewed or corrected it)."""

    def __init__(self, current):
        self.current = current
        super().__init__(f"{current} is {current.get_approval_status_display().lower()}")


def rating_record(
    *, action, month, user, rating, commentary, evidence, evidence_links, wider_system=""
):
    """Record a new month's rating, submitted for review. Refused if someone recorded that
    month meanwhile, or if the plan takes no updates (rules.plan_life)."""
    refuse_if_closed(action.required_outcome.plan, timezone.localdate())
    new = Rating(
        action=action,
        month=month,
        rating=rating,
        commentary=commentary,
        evidence=evidence,
        evidence_links=evidence_links,
        wider_system=wider_system,
        approval_status=ApprovalStatus.SUBMITTED,
        source=RatingSource.USER,
        recorded_by=user,
        recorded_at=timezone.now(),
    )
    new.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            new.save()
            notify_events.update_submitted(new)
    except IntegrityError:
        raise RatingConflict(Rating.objects.get(action=action, month=month)) from None
    return new


def rating_correct(*, original, user, expected_version, reason, **values):
    """Correct a recorded rating, with a reason; the earlier version stays in the history.
    The correction is submitted for review again (a returned update comes back this way);
    the reports keep the version accepted before it until an approver accepts this one.
    Refused if the plan takes no updates (rules.plan_life)."""
    refuse_if_closed(plan_of(original), timezone.localdate())
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
        current.approval_status = ApprovalStatus.SUBMITTED
        current.decided_by = current.decided_at = None
        current.full_clean()
        current._change_reason = reason
        current.save()
        notify_events.update_submitted(current)
    return current


def rating_decide(
    *, rating, user, expected_version, accept, return_reason="", board_rating="", board_note=""
):
    """Accept an update awaiting approval (with the board's own rating where it differs), or
    return it to its officer with a reason. The view has checked who may review."""
    with transaction.atomic():
        current = Rating.objects.select_for_update().get(pk=rating.pk)
        if current.version != expected_version:
            raise RatingConflict(current)
        if current.approval_status != ApprovalStatus.SUBMITTED:
            raise AlreadyDecided(current)
        if accept:
            current.approval_status = ApprovalStatus.ACCEPTED
            current.accepted_rating = current.rating
            current.board_rating = "" if board_rating == current.rating else board_rating
            current.board_note = board_note
            reason = f"Accepted as {current.get_rating_display()}"
            if current.board_rating:
                reason += f"; the board rates it {current.get_board_rating_display()}"
            if board_note:
                reason += f": {board_note}"
        else:
            current.approval_status = ApprovalStatus.RETURNED
            current.return_reason = return_reason
            reason = f"Returned: {return_reason}"
        current.decided_by, current.decided_at = user, timezone.now()
        current.version += 1
        current.full_clean()
        current._change_reason = reason
        current.save()
        if not accept:
            notify_events.update_returned(current)
        # What the board is shown has changed: its pack is made again once this commits.
        plan = current.action.required_outcome.plan
        transaction.on_commit(lambda: prepare_after_decision(plan))
    return current


def rating_save_in_admin(*, rating, user):
    """A rating saved in the admin becomes the administrator's, whatever its source was:
    recorded by them, its version one up (so that an officer's form opened before this
    edit is refused) and, like an officer's correction, waiting for an approver. The admin
    form has validated it (Rating.clean, and RatingAdminForm for a plan that takes no
    updates); refused here too if the plan takes none."""
    refuse_if_closed(plan_of(rating), timezone.localdate())
    with transaction.atomic():
        if rating.pk:
            rating.version += 1
        rating.source = RatingSource.USER
        rating.recorded_by = user
        rating.recorded_at = timezone.now()
        rating.approval_status = ApprovalStatus.SUBMITTED
        rating.decided_by = rating.decided_at = None
        rating.save()
        notify_events.update_submitted(rating)
    return rating


def figure_already_recorded(period_end):
    return ValidationError(
        {"period_end": f"A figure for the period ending {period_end:%d/%m/%Y} is already recorded"},
        code="figure_one_per_period",
    )


def figure_add(*, measure, user, period_end, value, source, note=""):
    """Add an actual figure for one of a measure's periods, recorded by `user`. Refused with
    a ValidationError if the period has one, even one saved a moment ago by someone else
    (the database's unique constraint has the last word)."""
    figure = MeasureFigure(
        measure=measure,
        period_end=period_end,
        label=f"{period_end:%B %Y}",
        value=value,
        source=source,
        note=note,
        recorded_by=user,
        recorded_at=timezone.now(),
    )
    # The constraints in words: negative figures by MeasureFigure.clean, one figure a
    # period here, and the database's unique constraint if another lands meanwhile.
    figure.full_clean(validate_constraints=False)
    if period_has_figure(measure, period_end):
        raise figure_already_recorded(period_end)
    try:
        with transaction.atomic():
            figure.save()
    except IntegrityError:
        if period_has_figure(measure, period_end):
            raise figure_already_recorded(period_end) from None
        raise
    return figure


def period_has_figure(measure, period_end):
    return MeasureFigure.objects.filter(measure=measure, period_end=period_end).exists()


def figure_save_in_admin(*, figure, user):
    """A figure added or corrected in the admin is recorded by the administrator (the
    admin form has validated it); its history keeps every version."""
    with transaction.atomic():
        figure.recorded_by, figure.recorded_at = user, timezone.now()
        figure.save()
    return figure


def summary_publish(*, finding, user, plain_english, being_done, you_said_we_did):
    """Publish a new summary of `finding` for families; earlier ones are kept."""
    summary = PublicSummary(
        finding=finding,
        plain_english=plain_english,
        being_done=being_done,
        you_said_we_did=you_said_we_did,
        published_by=user,
        published_at=timezone.now(),
    )
    summary.full_clean()
    summary._change_reason = "Published for families"
    with transaction.atomic():
        summary.save()
    return summary


class WorkbookRefused(Exception):
    """The workbook has problems (read.Problem, by sheet, row and column): nothing stored."""

    def __init__(self, problems):
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


class PreviewOutOfDate(Exception):
    """The tracker changed after the preview: confirming now would do something else."""


def workbook_upload(*, user, file_name, data):
    """Read an uploaded plan workbook and keep it, with its hash and its preview (what
    confirming would do, found by doing it and rolling it back). A workbook with any
    problem is refused (WorkbookRefused) and nothing is kept."""
    parsed = workbook_read.read(file_name, data)
    outcome = workbook_save.preview(parsed) if not parsed.problems else None
    problems = parsed.problems or outcome.problems
    if problems:
        raise WorkbookRefused(problems)
    with transaction.atomic():
        return WorkbookUpload.objects.create(
            uploaded_by=user,
            file_name=file_name[:200],
            sha256=WorkbookUpload.digest(data),
            content=data,
            plan_slug=outcome.plan,
            preview=outcome.as_json(),
        )


def workbook_confirm(*, upload, user):
    """Save a previewed upload, all of it or nothing, from the stored file (checked against
    its hash); each history row it writes names the upload. Refused if it was confirmed
    already, or if the tracker changed so that it would no longer do what was previewed
    (PreviewOutOfDate: the upload's preview is then made again)."""
    try:
        with transaction.atomic():
            upload = WorkbookUpload.objects.select_for_update().get(pk=upload.pk)
            if upload.confirmed_at:
                raise ValidationError("This upload has already been saved")
            if not upload.intact():
                raise ValidationError("The stored upload does not match its hash: upload it again")
            parsed = workbook_read.read(upload.file_name, bytes(upload.content))
            outcome = workbook_save.apply(
                parsed, reason=workbook_save.reason_for(upload), user=user
            )
            if outcome.problems:
                raise WorkbookRefused(outcome.problems)
            if outcome.changes != upload.preview["changes"]:
                raise PreviewOutOfDate()
            upload.confirmed_by, upload.confirmed_at = user, timezone.now()
            upload.save(update_fields=["confirmed_by", "confirmed_at"])
    except PreviewOutOfDate:
        with transaction.atomic():
            upload.preview = workbook_save.preview(parsed).as_json()
            upload.save(update_fields=["preview"])
        raise
    return upload


def api_token_issue(*, user, name, issued_by, token=None):
    """A new token for `user` (into `token`, an unsaved ApiToken, where the admin's form
    made one): returns (ApiToken, the token), the token's only showing; only its digest
    is stored."""
    secret = ApiToken.new_secret()
    token = token or ApiToken()
    token.user, token.name, token.issued_by = user, name, issued_by
    token.digest, token.shown_start = api_tokens.digest_of(secret), secret[:12]
    token.full_clean()
    with transaction.atomic():
        token.save()
    return token, secret


@transaction.atomic
def api_token_revoke(*, token, revoked_by):
    """Refused from now on; kept, with who revoked it and when. Revoking twice changes
    nothing."""
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_by=revoked_by
    )
    token.refresh_from_db()
    return token
