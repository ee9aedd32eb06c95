"""My actions (an officer's own) or Actions (every action, for the board), and one
action's page: its details, owners, ratings month by month and their history."""

from django.core.paginator import InvalidPage, Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils import timezone

from actions import areas, permissions
from actions.filters import ActionFilter
from actions.models import Action, ActionOwner, ApprovalStatus, Rating
from actions.reports import page_cache
from actions.reports.history import rating_history
from actions.rules import flags, plan_life

from .access import role_required

PER_PAGE = 50  # actions a page of the list shows


@role_required
def action_list(request):
    """ "My actions" for an officer; every action, filterable by owner, for the board. The
    list below the page's heading is the same for the same person, view, day and record,
    so it is kept in the page cache (reports.page_cache.person_key)."""
    sees_all = permissions.sees_every_action(request.user)
    area = areas.asked(request)
    key = page_cache.person_key(f"actions-{area.pk if area else ''}", request.user, request.GET)
    try:
        section = page_cache.section(key, lambda: list_section(request, area, sees_all))
    except InvalidPage:
        return render(request, "actions/no_such_page.html", status=404)
    context = {"area": area, "areas": areas.areas_of(request.user), "sees_all": sees_all}
    return render(request, "actions/action_list.html", {**context, "section": section})


def list_section(request, area, sees_all):
    """The list as HTML: the updates returned, the owner filter, a page of the actions
    with their latest update and flags, and the links to other pages. InvalidPage for a
    page the list does not have."""
    today = timezone.localdate()
    actions = Action.objects.for_list().filter(required_outcome__plan__area=area)
    if not sees_all:
        actions = actions.filter(pk__in=Action.objects.held_by(request.user).values("pk"))
    query = request.GET.copy()
    query.pop(areas.AREA_PARAMETER, None)
    action_filter = ActionFilter(query, queryset=actions, area=area) if sees_all else None
    if action_filter is not None:
        actions = action_filter.qs
    may_do = what_the_user_may_do(request.user)
    try:
        page = Paginator(actions, PER_PAGE).page(request.GET.get("page") or 1)
    except OverflowError as too_far:
        raise InvalidPage(str(too_far)) from too_far
    rows = [
        {
            "action": action,
            "latest": flags.latest_update(action),
            "flags": flags.flags(action, today),
            "record_note": plan_life.short_note(action.required_outcome.plan, today),
            **to_do(action, *may_do),
        }
        for action in flags.attach_updates(list(page.object_list))
    ]
    plans = {row["action"].required_outcome.plan for row in rows}
    notes = [f"{p.short_name}: {plan_life.record_note(p, today)}" for p in plans]
    # Every returned update of the list's actions, whatever page its action is on.
    returned = [
        (rating, rating.action_id in may_do[0])
        for rating in Rating.objects.filter(
            approval_status=ApprovalStatus.RETURNED, action__in=actions.values("pk")
        )
        .select_related("action__required_outcome__weakness")
        .order_by(
            "action__required_outcome__weakness__position",
            "action__required_outcome__number",
            "action__number",
            "month",
        )
    ]
    kept = request.GET.copy()
    kept.pop("page", None)
    context = {
        "rows": rows,
        "page": page,
        "page_query": kept.urlencode(),
        "filter": action_filter,
        "sees_all": sees_all,
        "today": today,
        "returned": returned,
        # The flags' rules where some plan shown is live; a record has no flags.
        "flag_rules": flags.FLAGS if any(not row["record_note"] for row in rows) else [],
        "record_notes": sorted(note for note in notes if not note.endswith(": ")),
    }
    return render_to_string("actions/includes/action_list_section.html", context, request)


def what_the_user_may_do(user):
    """(ids of the actions `user` may correct, ids of the updates awaiting their approval),
    in one query each, rather than asking per row."""
    approvable = permissions.ratings_approvable_by(user).awaiting_approval()
    return (
        set(permissions.actions_updatable_by(user).values_list("pk", flat=True)),
        set(approvable.values_list("pk", flat=True)),
    )


def to_do(action, updatable, approvable):
    """The links a row offers its reader: correct a returned update, approve one awaiting."""
    ratings = flags.in_month_order(action)
    return {
        "to_correct": [r for r in ratings if r.returned] if action.pk in updatable else [],
        "to_approve": [r for r in ratings if r.pk in approvable],
    }


@role_required
def action_detail(request, pk):
    action = get_object_or_404(
        Action.objects.select_related(
            "required_outcome__weakness", "required_outcome__plan__life"
        ).prefetch_related(
            Prefetch("action_owners", ActionOwner.objects.select_related("role__organisation")),
            "required_outcome__weakness__continues__review",
            Prefetch(
                "ratings",
                Rating.objects.select_related("recorded_by", "decided_by").order_by("-month"),
            ),
        ),
        pk=pk,
    )
    areas.check(request.user, action.required_outcome.plan.area_id)
    today = timezone.localdate()
    for rating in action.ratings.all():
        rating.approvable = rating.awaiting_approval and permissions.may_approve(
            request.user, rating
        )
    return render(
        request,
        "actions/action_detail.html",
        {
            "action": action,
            "ratings": action.ratings.all(),
            "history": rating_history(action),
            "flags": flags.flags(action, today),
            "record_note": plan_life.record_note(action.required_outcome.plan, today),
            "can_update": permissions.may_record(request.user, action)
            and plan_life.accepts_updates(action.required_outcome.plan, today),
        },
    )
