"""What a person sees beside a decision: the rating before an officer's update, an update's
recent months and its change from the month before, the correction that made it (from the
history), and the sentence that tells the officer who will approve it."""

from dataclasses import dataclass

from actions import permissions
from actions.models import Rating

from .history import RatingChange, field_label

RECENT_MONTHS = 6
# What an officer's correction changes (the rest of a history entry is the approval's).
UPDATE_FIELDS = {"rating", "commentary", "evidence", "evidence_links", "wider_system"}


def with_people(ratings):
    return ratings.select_related("recorded_by", "decided_by")


def latest_rating(action):
    """The action's latest month's rating, whatever its approval, or None."""
    return with_people(Rating.objects.filter(action=action)).order_by("-month").first()


def rating_before(rating):
    """The rating of the latest month before `rating`'s, or None (Rating.previous, which
    the commentary rule compares with)."""
    return (
        with_people(Rating.objects.filter(action_id=rating.action_id, month__lt=rating.month))
        .order_by("-month")
        .first()
    )


def recent_months(rating, count=RECENT_MONTHS):
    """The action's last `count` rated months up to and including `rating`'s, newest first."""
    months = Rating.objects.filter(action_id=rating.action_id, month__lte=rating.month)
    return list(with_people(months).order_by("-month")[:count])


@dataclass
class Change:
    """How an update differs from the month before it."""

    before: Rating | None
    rating_changed: bool


def change_from_before(rating):
    before = rating_before(rating)
    return Change(before, before is not None and before.rating != rating.rating)


@dataclass
class Correction:
    """The officer's correction that made the update now awaiting approval: who, when, why,
    and (what, before, after) for each part of the update it changed."""

    who: object
    when: object
    reason: str
    changes: list


def correction(rating):
    """The correction behind `rating`'s current version, or None if it is a first update."""
    records = list(
        Rating.history.filter(id=rating.pk)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")[:2]
    )
    if len(records) < 2 or records[0].history_type != "~":
        return None
    change = RatingChange(*records)
    if change.kind != "Corrected":
        return None
    labels = {field_label(name) for name in UPDATE_FIELDS}
    changes = [entry for entry in change.changes if entry[0] in labels]
    return Correction(change.who, change.when, change.reason, changes)


def awaiting_whom(rating, corrected=False):
    """The sentence telling the officer who will approve their update: the approvers named
    for its weakness and the chair, never the officer themselves."""
    seen, names = set(), []
    for approver in permissions.approvers_of(rating):
        if approver.user_id in seen:
            continue
        seen.add(approver.user_id)
        name = approver.user.get_full_name() or approver.user.get_username()
        role = f"approver for weakness {approver.finding.code}" if approver.finding else "the chair"
        names.append(f"{name} ({role})")
    what = "corrected update" if corrected else "update"
    start = f"Your {what} for {rating.month:%B %Y} is waiting for approval"
    if not names:
        weakness = rating.action.required_outcome.weakness.code
        return (
            f"{start}, but no one can approve it yet: the board has no chair and no approver "
            f"for weakness {weakness} (nobody approves their own update). Ask an administrator."
        )
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]
    return f"{start} by {listed}."
