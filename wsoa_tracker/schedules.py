"""The schedules: what runs by itself, when, and what makes a second run harmless (its
idempotency key). Synced into the job runner (django-q2's Schedule rows, one per name) after
every `migrate` and by `manage.py sync_schedules`; each runs as
`wsoa_tracker.jobs.run(task)`.

Two workers never start the same schedule twice: django-q2's scheduler takes the due
schedules with SELECT ... FOR UPDATE and moves each one's next run on in the same
transaction, so a second scheduler waits for the lock and then finds nothing due (on SQLite
the transaction is IMMEDIATE: one writer at a time). The key below is what makes a run
harmless even when it happens again (a retry after a failure, or someone running the
command by hand).
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from .jobs import RUN


@dataclass(frozen=True)
class Planned:
    name: str
    task: str  # dotted path, called with no arguments
    every: str  # "minute", "day" or "month" (the first of the month)
    at: datetime.time | None  # local time (Europe/London); None for every minute
    idempotency: str  # what makes a second run harmless


SCHEDULES = [
    Planned(
        "Monthly reminders",
        "actions.reminders.monthly_reminders",
        "month",
        datetime.time(7, 0),
        "one Reminder row per officer and month (unique): a second run that month sends nothing",
    ),
    Planned(
        "Notifications waiting or due a retry",
        "actions.notify.deliver_pending",
        "minute",
        None,
        "each message's row is claimed by one sender (a single UPDATE) and sent at most "
        "once; a sent message is never sent again",
    ),
    Planned(
        "Daily escalation of overdue actions",
        "actions.notify.escalate_overdue",
        "day",
        datetime.time(7, 30),
        "one escalation per approver and month (its notification's unique key)",
    ),
    Planned(
        "Nightly board pack",
        "actions.reports.board_pack_preparation.prepare_every_plan",
        "day",
        datetime.time(0, 15),
        "the pack's cache key (plan, day, filters, newest history rows): a pack already "
        "made is not made again",
    ),
    Planned(
        "Daily leaver deactivation",
        "wsoa_tracker.leavers.deactivate_leavers_job",
        "day",
        datetime.time(1, 0),
        "an account already deactivated is no longer a leaver",
    ),
    Planned(
        "Nightly audit chain verification",
        "wsoa_tracker.audit_chain.verify",
        "day",
        datetime.time(2, 0),
        "read-only: it changes nothing; a broken chain fails the job",
    ),
]


def first_run(planned, now):
    """The first local `planned.at` after `now` (on the first of a month, monthly)."""
    if planned.every == "minute":
        return now.replace(second=0, microsecond=0) + datetime.timedelta(minutes=1)
    local = timezone.localtime(now)
    day = local.date()
    while True:
        if planned.every == "month" and day.day != 1:
            day = (day.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
        at = timezone.make_aware(datetime.datetime.combine(day, planned.at))
        if at > now:
            return at
        day += datetime.timedelta(days=1)


def sync(now=None):
    """Make the runner's schedules match SCHEDULES (added, changed, or removed when no
    longer listed); safe to run again. Returns the names added or changed."""
    from django_q.models import Schedule

    types = {"minute": Schedule.MINUTES, "day": Schedule.DAILY, "month": Schedule.MONTHLY}
    now = now or timezone.now()
    changed = []
    for planned in SCHEDULES:
        wanted = {
            "func": RUN,
            "args": repr((planned.task,)),
            "schedule_type": types[planned.every],
            "minutes": 1 if planned.every == "minute" else None,
            "repeats": -1,
        }
        schedule = Schedule.objects.filter(name=planned.name).first()
        current = schedule and {field: getattr(schedule, field) for field in wanted}
        at = schedule and timezone.localtime(schedule.next_run).time()
        if current == wanted and (planned.at is None or at == planned.at):
            continue
        Schedule.objects.update_or_create(
            name=planned.name, defaults={**wanted, "next_run": first_run(planned, now)}
        )
        changed.append(planned.name)
    Schedule.objects.filter(func=RUN).exclude(name__in=[p.name for p in SCHEDULES]).delete()
    return changed
