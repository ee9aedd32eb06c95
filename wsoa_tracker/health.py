"""The load balancer's health check: is this app server able to reach its database?"""

import logging

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection, transaction
from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger("wsoa_tracker.health")


def first_line(error):
    return (str(error).strip().splitlines() or [type(error).__name__])[0]


@login_not_required
@never_cache
@require_safe
@transaction.non_atomic_requests
def health(request):
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # Shorter than the pages' limit: the load balancer wants a quick answer.
                timeout = f"{round(settings.DB_HEALTH_TIMEOUT * 1000)}ms"
                cursor.execute("SET LOCAL statement_timeout = %s", [timeout])
            cursor.execute("SELECT 1")
    except DatabaseError as error:
        # Says which dependency failed and nothing else: no host, no error text. The log
        # has the cause (refused, timed out...) for whoever is on call.
        logger.warning("Health check: the database is unavailable: %s", first_line(error))
        response = HttpResponse("Unavailable: database\n", status=503, content_type="text/plain")
        response["Retry-After"] = "30"
        return response
    return HttpResponse("OK\n", content_type="text/plain")
