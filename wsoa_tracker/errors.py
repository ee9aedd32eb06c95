"""Error pages: styled, with a reference the user can quote and no traceback.

They render without the request's context: when the database is down, even asking who
the user is would fail again.
"""

import logging
import secrets
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string

logger = logging.getLogger("wsoa_tracker.errors")

# An OperationalError or InterfaceError means the database cannot be reached (stopped,
# restarting, or SQLite locked beyond its timeout): the user should simply try again.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)


def page(template, status, **context):
    return HttpResponse(render_to_string(template, context), status=status)


def server_error(request):
    """handler500: Django calls it while handling the exception, so sys.exc_info() has it."""
    error = sys.exc_info()[1]
    reference = secrets.token_hex(4).upper()
    if isinstance(error, DATABASE_UNAVAILABLE):
        logger.error(
            "Database unavailable, reference %s, %s %s: %s",
            reference,
            request.method,
            request.path,
            (str(error).strip().splitlines() or [type(error).__name__])[0],
        )
        response = page("503.html", 503, reference=reference)
        response["Retry-After"] = "30"
    else:
        logger.error(
            "Error reference %s, %s %s",
            reference,
            request.method,
            request.path,
            exc_info=error is not None,
        )
        response = page("500.html", 500, reference=reference)
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
