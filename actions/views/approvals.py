"""The board's challenge: updates awaiting approval and those returned, and an approver
accepting (with the board's own rating where it differs) or returning an update."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from actions import permissions
from actions.forms import ReviewForm
from actions.models import Rating
from actions.services import AlreadyReviewed, RatingConflict, rating_review

from .access import deny, role_required


@role_required
def review_list(request):
    """Updates awaiting review, and those returned to their officers. Every role may read
    it; the reviewer of an update's weakness (never its officer) sees a link to review."""
    awaiting = list(Rating.objects.awaiting_review().for_review_list())
    returned = list(Rating.objects.returned().for_review_list().select_related("reviewed_by"))
    user = request.user
    return render(
        request,
        "actions/review_list.html",
        {
            "awaiting": [(rating, permissions.may_approve(user, rating)) for rating in awaiting],
            "returned": returned,
            "is_reviewer": permissions.is_approver(user),
        },
    )


@require_http_methods(["GET", "POST"])
@role_required
def rating_review_view(request, pk, year, month):
    rating = get_object_or_404(
        Rating.objects.select_related(
            "action__required_outcome__weakness",
            "action__required_outcome__plan",
            "recorded_by",
            "reviewed_by",
        ),
        action_id=pk,
        month__year=year,
        month__month=month,
    )
    if not permissions.may_approve(request.user, rating):
        deny(request, "is not a reviewer of this weakness, or recorded this update", rating.pk)
    form = ReviewForm(request.POST or None, rating=rating)
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            rating_review(
                rating=rating,
                user=request.user,
                expected_version=data["version"],
                accept=data["decision"] == "accept",
                return_reason=data["return_reason"].strip(),
                board_rating=data["board_rating"],
                board_note=data["board_note"].strip(),
            )
        except (RatingConflict, AlreadyReviewed) as error:
            conflict = error.current
        else:
            what = "accepted" if data["decision"] == "accept" else "returned to the officer"
            messages.success(request, f"Update for {rating.action.code} {what}")
            return redirect("actions:review-list")
    return render(
        request,
        "actions/review_form.html",
        {"rating": rating, "action": rating.action, "form": form, "conflict": conflict},
    )
