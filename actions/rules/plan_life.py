"""A plan's life: draft, live, closed (and what superseded it), and what follows from it:
whether the board's flags and warning signs apply (a live plan only), whether it takes
updates, and which months an officer can still rate.

A plan's life (models.PlanLife, `plan.life`) is live from its `live_from` day until the
day it closed, `closed_on`: on that day and after, it reads as a record, "Closed on 20
November 2019; superseded by the Accelerated Progress Plan (APP)". A draft is never live;
a plan with no life recorded is live from its first month. Only an administrator reopens
a closed plan (its status back to live, in the admin).
"""

from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.db.models import Q

from .periods import first_of_month, last_day_of_month, months_between


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    LIVE = "live", "Live"
    CLOSED = "closed", "Closed"


@dataclass(frozen=True)
class Unrecorded:
    """The life of a plan with none recorded: live from its first month."""

    live_from: object
    status: str = PlanStatus.LIVE
    closed_on: object = None
    superseded_by: str = ""


def life(plan):
    try:
        return plan.life
    except ObjectDoesNotExist:
        return Unrecorded(first_of_month(plan.first_quarter_end))


def is_live(plan, today):
    """Live on the day `today`: not a draft, begun, and not yet closed (the closing day
    itself is closed)."""
    its = life(plan)
    if its.status == PlanStatus.DRAFT or today < its.live_from:
        return False
    return its.closed_on is None or today < its.closed_on


def accepts_updates(plan, today):
    """Officers' updates (new months and corrections) are taken only while it is live."""
    return is_live(plan, today)


def live_condition(today, prefix="required_outcome__plan__"):
    """is_live() as a condition on a queryset reaching the plan through `prefix`."""
    unrecorded = Q(**{f"{prefix}life__isnull": True}) & Q(
        **{f"{prefix}first_quarter_end__lte": last_day_of_month(today.year, today.month)}
    )
    recorded = (
        ~Q(**{f"{prefix}life__status": PlanStatus.DRAFT})
        & Q(**{f"{prefix}life__live_from__lte": today})
        & (
            Q(**{f"{prefix}life__closed_on__isnull": True})
            | Q(**{f"{prefix}life__closed_on__gt": today})
        )
    )
    return unrecorded | recorded


def record_note(plan, today):
    """What a plan that is not live reads as, in place of flags; '' while it is live."""
    if is_live(plan, today):
        return ""
    its = life(plan)
    if its.status == PlanStatus.DRAFT:
        return "This plan is a draft: it is not live yet."
    if its.closed_on is None or today < its.closed_on:
        return f"This plan is live from {its.live_from:%-d %B %Y}."
    note = f"Closed on {its.closed_on:%-d %B %Y}"
    if its.superseded_by:
        note += f"; superseded by {its.superseded_by}"
    return note + ". It reads as a record: no flags, reminders or warning signs."


def short_note(plan, today):
    """record_note() in a few words, for a table's flags column; '' while it is live."""
    if is_live(plan, today):
        return ""
    its = life(plan)
    if its.status == PlanStatus.DRAFT:
        return "Draft plan: no flags"
    if its.closed_on is None or today < its.closed_on:
        return "Not live yet: no flags"
    return "Plan closed: a record, no flags"


def refusal(plan, today):
    """The message refusing an update to a plan that takes none, or ''."""
    if accepts_updates(plan, today):
        return ""
    return (
        f"{plan.short_name} takes no more updates. {record_note(plan, today)} "
        "An administrator can reopen it."
    )


def refuse_if_closed(plan, today):
    """Raise the ValidationError every write path gives for a plan that takes no updates."""
    message = refusal(plan, today)
    if message:
        raise ValidationError(message, code="plan_not_live")


def last_month_to_rate(plan, today):
    """The last month that can be rated: this month, or the plan's end of monitoring (the
    month it closed in) if earlier."""
    last, closed_on = first_of_month(today), life(plan).closed_on
    if closed_on is not None:
        last = min(last, first_of_month(closed_on))
    return last


def months_that_can_be_rated(plan, today, rated=()):
    """The months an officer can still rate, newest first: from the plan's first month to
    the earlier of this month and its end of monitoring, leaving out the months already
    rated (`rated`), which are corrected instead. None while the plan takes no updates."""
    if not accepts_updates(plan, today):
        return []
    rated = set(rated)
    months = months_between(first_of_month(plan.first_quarter_end), last_month_to_rate(plan, today))
    return [month for month in months if month not in rated]
