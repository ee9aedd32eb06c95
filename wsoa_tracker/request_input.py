"""Query strings with a NUL character are refused with the styled 400 page.

PostgreSQL cannot hold a NUL in text: psycopg2 refuses any query carrying one ("A string
literal cannot contain NUL (0x00) characters", a ValueError), so `?plan=%00` was a 500
wherever a query parameter reaches the database (the plan's slug, the grid's filters).
SQLite would take it and find nothing, so the two databases answered differently.

The check is here, once for every page, rather than on each view and filter, because query
parameters are read in many places outside forms (the plan, the board pack's cache key,
filters to come) and no link of the tracker ever carries a NUL: refusing the whole request
loses nobody's work. Posted forms are left to the forms, whose text fields already refuse
a NUL with "Null characters are not allowed." beside the field (Django's CharField), so the
user keeps the rest of what they typed; the fuzz test (tests/test_fuzz.py) checks that
every posted field gives a clear answer. A NUL in a URL's path never matches a URL (its
converters take digits, or letters, digits, hyphens and underscores), so it is a 404.
"""

import logging

from .errors import page

logger = logging.getLogger("wsoa_tracker.request_input")

NUL = "\x00"


class RefuseNulInQueryMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if NUL in request.META.get("QUERY_STRING", "") or any(
            NUL in key or any(NUL in value for value in values)
            for key, values in request.GET.lists()
        ):
            logger.warning(
                "Query string with a NUL character refused, %s %s", request.method, request.path
            )
            return page("400.html", 400)
        return self.get_response(request)
