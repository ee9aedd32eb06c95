"""The load balancer's health check: is this app server able to reach its database?"""

import logging

from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection, transaction
from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger("wsoa_tracker.health")


@login_not_required
@never_cache
@require_safe
@transaction.non_atomic_requests
def health(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        # Says which dependency failed and nothing else: no host, no error text.
        logger.warning("Health check: the database is unavailable")
        return HttpResponse("Unavailable: database\n", status=503, content_type="text/plain")
    return HttpResponse("OK\n", content_type="text/plain")
