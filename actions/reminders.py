"""The monthly reminder to officers: the actions due for their update, and the overdue ones,
of live plans only (rules.flags raises no flag on a closed plan)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from .models import Action, Reminder, RoleHolding
from .rules.flags import DUE_FOR_UPDATE, OVERDUE, attach_updates, flags
from .rules.periods import first_of_month


def officers_to_remind(today):
    holders = RoleHolding.objects.current(today).values("user")
    return get_user_model().objects.filter(pk__in=holders, is_active=True).exclude(email="")


def reminder_send(*, user, today):
    """Email `user` their due and overdue actions, once a month. Returns the Reminder, or
    None when there is nothing to say or it was already sent this month."""
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
        context = {
            "user": user,
            "month": month,
            "due": due,
            "overdue": overdue,
            "overdue_rule": OVERDUE.rule,
            "site_url": settings.SITE_URL.rstrip("/"),
        }
        send_mail(
            subject=f"WSOA Tracker: your updates for {month:%B %Y}",
            message=render_to_string("actions/email/reminder.txt", context),
            from_email=None,
            recipient_list=[user.email],
        )
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


def monthly_reminders():
    """The monthly schedule's job (wsoa_tracker/schedules.py): what it did, in words."""
    today = timezone.localdate()
    sent = reminders_send_all(today)
    return f"{len(sent)} reminder{'s' if len(sent) != 1 else ''} sent for {today:%B %Y}."
