"""Recording and correcting an action's monthly update (officers holding an owning role,
and administrators), while its plan takes updates (rules.plan_life), beside the rating
before it, and why a returned update came back; once saved, the officer is told who will
approve it."""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from actions import permissions
from actions.forms import RatingForm, show_refusal
from actions.models import Action, Rating
from actions.reports import decision
from actions.rules import plan_life
from actions.services import RatingConflict, rating_correct, rating_record

from .access import deny, role_required


def action_for_update(request, pk):
    action = get_object_or_404(Action.objects.in_plan_order(), pk=pk)
    if not permissions.may_record(request.user, action):
        deny(request, "does not hold a role that owns this action", pk)
    return action


def refused_for_closed_plan(request, action):
    """The page saying a plan that is not live takes no updates (403), or None."""
    plan, today = action.required_outcome.plan, timezone.localdate()
    if plan_life.accepts_updates(plan, today):
        return None
    context = {"action": action, "plan": plan, "note": plan_life.record_note(plan, today)}
    return render(request, "actions/plan_closed.html", context, status=403)


def rated_month(year, month):
    """The month a rating URL names (/<year>/<month>/), or 404 for one that cannot be a
    date at all (year 0 or 99999, month 13, 20 digits), on which the lookup would fail."""
    try:
        return datetime.date(year, month, 1)
    except (ValueError, OverflowError):
        raise Http404("No such month") from None


@require_http_methods(["GET", "POST"])
@role_required
def rating_create(request, pk):
    action = action_for_update(request, pk)
    if refused := refused_for_closed_plan(request, action):
        return refused
    form = RatingForm(request.POST or None, action=action)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            new = rating_record(
                action=action,
                month=form.cleaned_data["month"],
                user=request.user,
                **form.values(),
            )
        except RatingConflict as error:
            conflict = error.current
        except ValidationError as error:
            show_refusal(form, error)
        else:
            return saved(request, new, "recorded")
    return render(
        request,
        "actions/rating_form.html",
        {
            "action": action,
            "form": form,
            "conflict": conflict,
            "before": decision.latest_rating(action),
        },
    )


@require_http_methods(["GET", "POST"])
@role_required
def rating_correct_view(request, pk, year, month):
    action = action_for_update(request, pk)
    rating = get_object_or_404(
        Rating.objects.select_related("decided_by"), action=action, month=rated_month(year, month)
    )
    if refused := refused_for_closed_plan(request, action):
        return refused
    form = RatingForm(request.POST or None, instance=rating, action=action)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            corrected = rating_correct(
                original=rating,
                user=request.user,
                expected_version=form.cleaned_data["version"],
                reason=form.cleaned_data["reason"],
                **form.values(),
            )
        except RatingConflict as error:
            conflict = error.current
            form = keep_text_against(form, conflict)
        except ValidationError as error:
            show_refusal(form, error)
        else:
            return saved(request, corrected, "corrected")
    return render(
        request,
        "actions/rating_form.html",
        {
            "action": action,
            "form": form,
            "conflict": conflict,
            "rating": rating,
            "before": decision.rating_before(rating),
        },
    )


def keep_text_against(form, current):
    """The same form with the user's text, now based on the version that was saved."""
    data = form.data.copy()
    data["version"] = current.version
    kept = RatingForm(data, instance=current, action=form.action)
    kept.is_valid()
    return kept


def saved(request, rating, what):
    """Back to the action, with a banner saying the update is saved and who approves it."""
    waiting = decision.awaiting_whom(rating, corrected=what == "corrected")
    messages.success(request, f"Update {what}. {waiting}")
    return redirect(rating.action)
