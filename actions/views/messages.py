"""Messages: the page where each person reads what the tracker sent them (the outbox's
rows for them only, newest first, with whether each was sent)."""

from django.core.paginator import InvalidPage, Paginator
from django.shortcuts import render

from actions.models import Notification

from .access import role_required

PER_PAGE = 20


@role_required
def message_list(request):
    """The signed-in person's own notifications, newest first, PER_PAGE a page."""
    mine = Notification.objects.filter(user=request.user).order_by("-created_at", "-pk")
    try:
        page = Paginator(mine, PER_PAGE).page(request.GET.get("page") or 1)
    except (InvalidPage, OverflowError):
        return render(request, "actions/no_such_page.html", status=404)
    return render(request, "actions/message_list.html", {"page": page, "page_query": ""})
