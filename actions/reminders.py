"""The monthly digest for officers: the actions due for their update, and the overdue ones,
of live plans only (rules.flags raises no flag on a closed plan). It is written to the
outbox (actions.notify) as one message a person and month, never an empty one; the
Reminder row records that the month's digest was made (escalations count from it)."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from .models import Action, Reminder, RoleHolding
from .notify.events import monthly_digest
from .rules.flags import DUE_FOR_UPDATE, OVERDUE, attach_updates, flags
from .rules.periods import first_of_month


def officers_to_remind(today):
    holders = RoleHolding.objects.current(today).values("user")
    return get_user_model().objects.filter(pk__in=holders, is_active=True).exclude(email="")


def reminder_send(*, user, today):
    """Write `user`'s digest of due and overdue actions, once a month; it is sent once this
    commits. Returns the Reminder, or None when there is nothing to say or it was made
    already this month."""
    month = first_of_month(today)
    actions = attach_updates(
        list(Action.objects.for_list().filter(pk__in=Action.objects.held_by(user, today)))
    )
    raised = {action.pk: flags(action, today) for action in actions}
    due = [action for action in actions if DUE_FOR_UPDATE in raised[action.pk]]
    overdue = [action for action in actions if OVERDUE in raised[action.pk]]
    if not (due or overdue):
        return None
    with transaction.atomic():
        reminder, created = Reminder.objects.get_or_create(
            user=user,
            month=month,
            defaults={"actions_due": len(due), "actions_overdue": len(overdue)},
        )
        if not created:
            return None
        monthly_digest(user=user, month=month, due=due, overdue=overdue)
    return reminder


def reminders_send_all(today):
    """Each officer's reminder for `today`'s month; returns those sent (a second run in the
    same month sends none: the Reminder row per officer and month is its key)."""
    sent = []
    for user in officers_to_remind(today):
        reminder = reminder_send(user=user, today=today)
        if reminder:
            sent.append(reminder)
    return sent


def in_words(sent, today):
    """What a run did: "3 reminders sent for December 2026"."""
    return f"{len(sent)} reminder{'s' if len(sent) != 1 else ''} sent for {today:%B %Y}."


def monthly_reminders():
    """The monthly schedule's job (wsoa_tracker/schedules.py): what it did, in words."""
    today = timezone.localdate()
    return in_words(reminders_send_all(today), today)
