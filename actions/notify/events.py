"""Who is told what, and when (README: Notifications), each message written to the outbox
in the event's own transaction. Only about live plans (rules.plan_life). A message says only
what its person may read in the tracker, and links to the page:

- an update submitted (recorded, corrected or saved in the admin): each of its approvers
  (permissions.approvers_of: the weakness's approvers and the chair, never its officer);
- an update returned: its officer, with the approver's reason;
- the monthly digest (actions.reminders): each officer, their due and overdue actions; one
  message a person and month, none when there is nothing to say;
- an escalation (`escalate_overdue`, daily): ESCALATE_AFTER_DAYS days after the month's
  digests were made, each approver of a weakness is told of its actions still overdue whose
  due date had passed before the digests: one message a person and month, so an action is
  escalated at most once a month to each of them.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Min
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from .. import permissions
from ..models import Action, NotificationKind, Reminder
from ..rules import plan_life
from ..rules.flags import OVERDUE, attach_updates, flags, latest_update
from ..rules.periods import first_of_month
from .outbox import queue

ESCALATE_AFTER_DAYS = 7


def site_url():
    return settings.SITE_URL.rstrip("/")


def site_link(path):
    return site_url() + path


def month_path(name, rating):
    return reverse(name, args=[rating.action_id, rating.month.year, rating.month.month])


def is_live(rating):
    return plan_life.is_live(rating.action.required_outcome.plan, timezone.localdate())


def update_submitted(rating):
    """Tell each approver of `rating` that it awaits them (inside the saving transaction)."""
    if not is_live(rating):
        return []
    link = site_link(month_path("actions:rating-approve", rating))
    told, sent = set(), []
    for approver in permissions.approvers_of(rating):
        user = approver.user
        if user.pk in told:
            continue
        told.add(user.pk)
        context = {"rating": rating, "action": rating.action, "link": link, "approver": approver}
        sent.append(
            queue(
                user=user,
                kind=NotificationKind.UPDATE_SUBMITTED,
                subject=f"WSOA Tracker: {rating.action.code} {rating.month:%B %Y} awaits "
                "your approval",
                body=render_to_string("actions/notify/update_submitted.txt", context),
                link=link,
                key=f"submitted-{rating.pk}-v{rating.version}-{user.pk}",
            )
        )
    return [notification for notification in sent if notification]


def update_returned(rating):
    """Tell `rating`'s officer it was returned, with the reason."""
    if not is_live(rating) or rating.recorded_by is None:
        return None
    link = site_link(month_path("actions:rating-correct", rating))
    return queue(
        user=rating.recorded_by,
        kind=NotificationKind.UPDATE_RETURNED,
        subject=f"WSOA Tracker: your update for {rating.action.code} {rating.month:%B %Y} "
        "was returned",
        body=render_to_string(
            "actions/notify/update_returned.txt",
            {"rating": rating, "action": rating.action, "link": link},
        ),
        link=link,
        key=f"returned-{rating.pk}-v{rating.version}",
    )


def monthly_digest(*, user, month, due, overdue):
    """The month's digest for an officer (called by actions.reminders, which decides that
    there is something to say)."""
    context = {
        "user": user,
        "month": month,
        "due": due,
        "overdue": overdue,
        "overdue_rule": OVERDUE.rule,
        "site_url": site_url(),
    }
    return queue(
        user=user,
        kind=NotificationKind.MONTHLY_DIGEST,
        subject=f"WSOA Tracker: your updates for {month:%B %Y}",
        body=render_to_string("actions/email/reminder.txt", context),
        link=site_link(reverse("actions:list")),
        key=f"digest-{user.pk}-{month:%Y-%m}",
    )


def digests_made_on(month):
    """The day this month's first digest was made, or None."""
    first = Reminder.objects.filter(month=month).aggregate(first=Min("sent_at"))["first"]
    return timezone.localdate(first) if first else None


def still_overdue(today, digest_day):
    actions = attach_updates(list(Action.objects.for_list().filter(due_date__lt=digest_day)))
    return [action for action in actions if OVERDUE in flags(action, today)]


def escalate_overdue(today=None):
    """The daily job: tell approvers of the actions still overdue ESCALATE_AFTER_DAYS
    after the month's digest (`today` a date or ISO date; today by default). Returns the
    messages written."""
    if isinstance(today, str):
        today = datetime.date.fromisoformat(today)
    today = today or timezone.localdate()
    month = first_of_month(today)
    digest_day = digests_made_on(month)
    if digest_day is None or (today - digest_day).days < ESCALATE_AFTER_DAYS:
        return []
    by_user, approvers = {}, {}
    for action in still_overdue(today, digest_day):
        weakness = action.required_outcome.weakness_id
        if weakness not in approvers:  # one query a weakness, not one an action
            approvers[weakness] = list(permissions.approvers_of_weakness(weakness))
        for approver in approvers[weakness]:
            actions = by_user.setdefault(approver.user, [])
            if action not in actions:
                actions.append(action)
    link = site_link(reverse("actions:needs-attention"))
    written = []
    with transaction.atomic():
        for user, actions in by_user.items():
            rows = [(action, latest_update(action)) for action in actions]
            context = {
                "rows": rows,
                "digest_day": digest_day,
                "today": today,
                "days": ESCALATE_AFTER_DAYS,
                "link": link,
                "site_url": site_url(),
            }
            written.append(
                queue(
                    user=user,
                    kind=NotificationKind.ESCALATION,
                    subject=f"WSOA Tracker: {len(actions)} action{'s' if len(actions) != 1 else ''}"
                    f" still overdue in {month:%B %Y}",
                    body=render_to_string("actions/notify/escalation.txt", context),
                    link=link,
                    key=f"escalation-{user.pk}-{month:%Y-%m}",
                )
            )
    return [notification for notification in written if notification]
