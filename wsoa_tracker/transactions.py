"""Which requests may take SQLite's write lock: only those that write.

Every request runs in one transaction (ATOMIC_REQUESTS). On SQLite, transactions begin
IMMEDIATE (settings: `transaction_mode`), taking the database's single write lock at once,
so that two writers wait for each other (busy timeout) instead of one failing with
"database is locked". A read has no need of that lock: a GET or HEAD request runs its view
in a DEFERRED transaction instead, which takes only a read snapshot, so reads never queue
behind writes nor writes behind reads. Views that write on a GET say so with
`transaction.non_atomic_requests` and make their writes in `transaction.atomic()` blocks of
their own, which stay IMMEDIATE (the board pack's cache does). PostgreSQL is unchanged.
"""

from contextvars import ContextVar

from django.db import connections
from django.db.backends.signals import connection_created
from django.dispatch import receiver

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
reading = ContextVar("reading", default=False)


def set_mode(connection, deferred):
    """SQLite reads `transaction_mode` when it connects, from OPTIONS, and uses it at each
    BEGIN; a read request switches it for its own (thread's) connection only."""
    if connection.vendor != "sqlite":
        return
    configured = connection.settings_dict["OPTIONS"].get("transaction_mode")
    connection.transaction_mode = "DEFERRED" if deferred else (configured or "").upper() or None


@receiver(connection_created)
def read_requests_connect_deferred(sender, connection, **kwargs):
    if reading.get():
        set_mode(connection, deferred=True)


class ReadsTakeNoWriteLockMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in SAFE_METHODS:
            return self.get_response(request)
        token = reading.set(True)
        for connection in connections.all(initialized_only=True):
            set_mode(connection, deferred=True)
        try:
            return self.get_response(request)
        finally:
            # The session, saved after this middleware, begins IMMEDIATE again.
            reading.reset(token)
            for connection in connections.all(initialized_only=True):
                set_mode(connection, deferred=False)
