"""Error pages: styled, with a reference the user can quote and no traceback.

The reference is the request's id (wsoa_tracker.request_log), so that the service desk
finds the request's log lines, its traceback among them, from what the user quotes. The
500 and 503 pages render without the request's context: when the database is down, even
asking who the user is would fail again.
"""

import logging
import sys
import uuid

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string

from .request_log import current_request_id

logger = logging.getLogger("wsoa_tracker.errors")

# An OperationalError or InterfaceError means the database cannot be reached (stopped,
# restarting, or SQLite locked beyond its timeout): the user should simply try again.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)


def reference():
    """The id of the request being handled (outside the middleware, a fresh one)."""
    return current_request_id() or uuid.uuid4().hex


def page(template, status, request=None, **context):
    """An error page, with the request's reference; with `request`, rendered in its
    context (the header then knows who is signed in)."""
    context.setdefault("reference", reference())
    return HttpResponse(render_to_string(template, context, request), status=status)


def server_error(request):
    """handler500: Django calls it while handling the exception, so sys.exc_info() has it."""
    error = sys.exc_info()[1]
    ref = reference()
    if isinstance(error, DATABASE_UNAVAILABLE):
        logger.error(
            "Database unavailable, reference %s, %s %s: %s",
            ref,
            request.method,
            request.path,
            (str(error).strip().splitlines() or [type(error).__name__])[0],
        )
        response = page("503.html", 503, reference=ref)
        response["Retry-After"] = "30"
    else:
        logger.error(
            "Error reference %s, %s %s",
            ref,
            request.method,
            request.path,
            exc_info=error is not None,
        )
        response = page("500.html", 500, reference=ref)
    # Django would log the same traceback again, without the reference.
    response._has_been_logged = True
    return response


def bad_request(request, exception):
    from django.core.exceptions import RequestDataTooBig, TooManyFilesSent

    from .client_address import ClientAddressUnknown
    from .uploads import FileNotAccepted

    if isinstance(exception, ClientAddressUnknown):
        # Behind the proxy, the sign-in's address is unknown: refused, not counted.
        return page("400_address_unknown.html", 400)
    if isinstance(exception, FileNotAccepted | TooManyFilesSent):
        return page("400_file_refused.html", 400)
    if isinstance(exception, RequestDataTooBig):
        return page("413.html", 413)
    return page("400.html", 400)


def csrf_failure(request, reason=""):
    logger.warning("CSRF failure: %s, %s %s", reason, request.method, request.path)
    return page("403_csrf.html", 403)


def permission_denied(request, exception):
    """handler403: Django's page, with the reference."""
    return page("403.html", 403, request)


def page_not_found(request, exception):
    """handler404: Django's page, with the reference."""
    return page("404.html", 404, request, request_path=request.path)
