"""The navigation's count of the updates awaiting the signed-in person's approval (those
permissions.ratings_approvable_by finds), counted only if a page shows it, once a request."""

from actions import permissions


def approvals_awaiting(request):
    """`approvals_awaiting`: a callable the templates call (so a page that never shows the
    count, such as the admin's, never counts), giving the number of updates awaiting the
    user's approval, or None for someone who approves nothing."""

    def count():
        if not hasattr(request, "_approvals_awaiting"):
            user = getattr(request, "user", None)
            request._approvals_awaiting = (
                permissions.ratings_approvable_by(user).awaiting_approval().count()
                if user is not None and permissions.is_approver(user)
                else None
            )
        return request._approvals_awaiting

    return {"approvals_awaiting": count}
