"""The board's challenge: updates awaiting approval and those returned, and an approver
accepting (with the board's own rating where it differs) or returning an update, beside the
action's recent months, what changed from the month before and why it was corrected."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from actions import areas, permissions
from actions.forms import ApprovalForm
from actions.models import Rating
from actions.reports import decision
from actions.services import AlreadyDecided, RatingConflict, rating_decide

from .access import deny, role_required
from .updates import rated_month


@role_required
def approval_list(request):
    """Updates awaiting approval, and those returned to their officers. Every role may read
    it; the reviewer of an update's weakness (never its officer) sees a link to review."""
    area = areas.asked(request)
    ratings = Rating.objects.filter(action__required_outcome__plan__area=area)
    awaiting = list(ratings.awaiting_approval().for_approval_list())
    returned = list(ratings.returned().for_approval_list().select_related("decided_by"))
    user = request.user
    yours = set(
        permissions.ratings_approvable_by(user)
        .filter(action__required_outcome__plan__area=area)
        .awaiting_approval()
        .values_list("pk", flat=True)
    )
    return render(
        request,
        "actions/approval_list.html",
        {
            "awaiting": [(rating, rating.pk in yours) for rating in awaiting],
            "yours": len(yours),
            "returned": returned,
            "is_approver": permissions.is_approver(user),
            "area": area,
        },
    )


@require_http_methods(["GET", "POST"])
@role_required
def rating_approve_view(request, pk, year, month):
    rating = get_object_or_404(
        Rating.objects.select_related(
            "action__required_outcome__weakness",
            "action__required_outcome__plan",
            "recorded_by",
            "decided_by",
        ),
        # action__pk, not action_id: Django finds no row for a pk out of the database's
        # range (20 digits), where action_id= would reach SQLite and overflow.
        action__pk=pk,
        month=rated_month(year, month),
    )
    areas.check(request.user, rating.action.required_outcome.plan.area_id)
    if not permissions.may_approve(request.user, rating):
        deny(request, "is not a reviewer of this weakness, or recorded this update", rating.pk)
    form = ApprovalForm(request.POST or None, rating=rating)
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            rating_decide(
                rating=rating,
                user=request.user,
                expected_version=data["version"],
                accept=data["decision"] == "accept",
                return_reason=data["return_reason"].strip(),
                board_rating=data["board_rating"],
                board_note=data["board_note"].strip(),
            )
        except (RatingConflict, AlreadyDecided) as error:
            conflict = error.current
        else:
            what = "accepted" if data["decision"] == "accept" else "returned to the officer"
            messages.success(request, f"Update for {rating.action.code} {what}")
            return redirect("actions:approvals")
    return render(
        request,
        "actions/approval_form.html",
        {
            "rating": rating,
            "action": rating.action,
            "form": form,
            "conflict": conflict,
            "change": decision.change_from_before(rating),
            "correction": decision.correction(rating),
            "recent": decision.recent_months(rating),
        },
    )
