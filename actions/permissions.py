"""Who may do what: read the tracker, record or correct an action's update, approve or
return one, publish a summary for families, and add a measure's figure. The views, the
services' callers and the admin all ask here; the roles themselves (groups with model
permissions) are in `actions.roles`.

| may ...                   | who                                                        |
| read any page             | anyone in one of the tracker's roles                       |
| record / correct          | an officer holding, today, a role that owns the action;    |
|                           | an administrator                                           |
| approve or return         | the chair, or the approver named for the update's weakness;|
|                           | never the officer who recorded it                          |
| publish for families      | the approvers of the finding                               |
| add a measure's figure    | an officer holding a role owning one of its actions; an    |
|                           | administrator                                              |
| name approvers            | a superuser only (an administrator could otherwise make    |
|                           | themselves, or someone they made, an approver)             |
"""

from django.db.models import Exists, F, OuterRef, Q

from actions import roles
from actions.models import Action, Rating, RatingSource
from actions.models import Approver as Approver


class EveryFinding:
    """The chair's scope: every finding."""

    def __contains__(self, finding_id):
        return True

    def __bool__(self):
        return True


def may_read(user):
    """Signed in, active and in one of the tracker's roles."""
    return (
        user.is_authenticated
        and user.is_active
        and (bool(roles.role_names(user)) or roles.is_administrator(user))
    )


def sees_every_action(user):
    """Board members and administrators list every action; officers list their own."""
    return roles.sees_every_action(user)


def actions_updatable_by(user):
    """The actions whose updates `user` may record and correct."""
    if roles.is_administrator(user):
        return Action.objects.all()
    if roles.is_officer(user):
        return Action.objects.held_by(user)
    return Action.objects.none()


def may_record(user, action):
    """May `user` record or correct `action`'s monthly updates?"""
    return actions_updatable_by(user).filter(pk=action.pk).exists()


def findings_approved_by(user):
    """The ids of the findings whose updates `user` approves: EveryFinding for the chair,
    a set (maybe empty) otherwise. Read once per request."""
    if not hasattr(user, "_findings_approved"):
        scope = set()
        if user.is_authenticated and user.is_active and roles.is_board_member(user):
            scope = set(Approver.objects.filter(user=user).values_list("finding_id", flat=True))
        user._findings_approved = EveryFinding() if None in scope else scope
    return user._findings_approved


def is_approver(user):
    return bool(findings_approved_by(user))


def may_approve(user, rating):
    """The chair, or the approver named for the update's weakness; never the officer who
    recorded it, and never a rating printed in the published document."""
    if rating.recorded_by_id == user.pk or rating.source != RatingSource.USER:
        return False
    return rating.action.required_outcome.weakness_id in findings_approved_by(user)


def ratings_approvable_by(user):
    """may_approve() as a query: the ratings `user` may approve or return (add
    .awaiting_approval() for those waiting). One query, however many ratings there are."""
    if not (user.is_authenticated and roles.is_board_member(user)):
        return Rating.objects.none()
    named = Approver.objects.filter(user=user).filter(
        Q(finding__isnull=True) | Q(finding=OuterRef("action__required_outcome__weakness"))
    )
    return Rating.objects.filter(Exists(named), source=RatingSource.USER).exclude(recorded_by=user)


def approvers_of(rating):
    """The named approvers who may approve `rating` (never its officer): those for its
    weakness first, then the chair, as Approver rows with their users."""
    return approvers_of_weakness(
        rating.action.required_outcome.weakness_id, excluding=rating.recorded_by_id
    )


def approvers_of_weakness(weakness_id, excluding=None):
    """The named approvers of a weakness's updates (its own, then the chair), as Approver
    rows with their users; `excluding` a user's id (an update's officer)."""
    return (
        Approver.objects.filter(
            Q(finding__isnull=True) | Q(finding_id=weakness_id),
            user__is_active=True,
            user__groups__name=roles.BOARD_MEMBER,
        )
        .exclude(user_id=excluding)
        .select_related("user", "finding")
        .order_by(F("finding").asc(nulls_last=True), "user__last_name", "user__username")
    )


def may_publish(user, finding):
    """The approvers of a finding publish its summary for families."""
    return finding.pk in findings_approved_by(user)


def may_add_figure(user, measure):
    """Officers of a role owning one of the measure's actions, and administrators."""
    if roles.is_administrator(user):
        return True
    return (
        roles.is_officer(user)
        and measure.actions.filter(pk__in=Action.objects.held_by(user).values("pk")).exists()
    )


def may_name_approvers(user):
    """Only a superuser names approvers (the admin's Approver screens): separation of
    duties, since administrators manage accounts and give the board member role."""
    return user.is_active and user.is_superuser
