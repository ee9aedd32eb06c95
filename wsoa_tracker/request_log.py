"""Logs an operator can follow: one line per request and per job, and the id that ties
every other line written meanwhile to it.

RequestLogMiddleware (first in MIDDLEWARE) gives each request an id: a fresh uuid4 hex,
or the X-Request-ID its proxy set, when the deployment says the proxy sets one
(DJANGO_BEHIND_PROXY and DJANGO_PROXY_SETS_REQUEST_ID) and it is well formed. The id is
kept in a contextvar while the request is handled; ContextFilter, on the log handlers,
copies it onto every record written meanwhile (a warning, an error's traceback), the
error pages show it as their reference (wsoa_tracker.errors), and the response returns
it in X-Request-ID. When the response is ready the middleware writes one "request" line:
method, path without its query string, view name, status, duration, the database's query
count and time, and the user's id, never their name (read only if the request already
looked the user up: the line costs no query).

job_logged(task, job_id, attempt) does the same for a background job: the lines written
while it runs carry its job_id (and the request_id of the request that asked for it, if
given), and one "job" line says how it went.
"""

import logging
import re
import time
import uuid
from contextlib import ContextDecorator
from contextvars import ContextVar

from django.conf import settings
from django.db import connection
from django.utils.functional import empty

logger = logging.getLogger("wsoa_tracker.requests")
job_logger = logging.getLogger("wsoa_tracker.jobs")

# The fields every log line written meanwhile carries: {"request_id": ...} during a
# request, {"job_id": ..., "task": ..., "request_id": ...} during a job.
log_context = ContextVar("log_context", default=None)

# What a proxy's X-Request-ID may be: an id, not text (nginx's $request_id is 32 hex).
WELL_FORMED = re.compile(r"[A-Za-z0-9._-]{8,64}")


def current_request_id():
    """The id of the request being handled (or that asked for the running job), or None:
    a job runner keeps it with the job, to pass to job_logged."""
    return (log_context.get() or {}).get("request_id")


class ContextFilter(logging.Filter):
    """On a handler: adds the request's (or job's) fields to each record it writes,
    unless the call gave them itself."""

    def filter(self, record):
        for key, value in (log_context.get() or {}).items():
            if not hasattr(record, key):
                setattr(record, key, value)
        return True


class DatabaseTimer:
    """An execute wrapper: counts the queries and adds up their time."""

    def __init__(self):
        self.queries = 0
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.queries += 1
            self.seconds += time.perf_counter() - start

    def fields(self):
        return {"db_queries": self.queries, "db_ms": round(self.seconds * 1000, 1)}


def incoming_request_id(request):
    if not (settings.BEHIND_PROXY and settings.PROXY_SETS_REQUEST_ID):
        return None
    given = request.META.get("HTTP_X_REQUEST_ID", "")
    return given if WELL_FORMED.fullmatch(given) else None


def user_id(request):
    """The signed-in user's id, if the request looked the user up; None otherwise."""
    user = getattr(request, "user", None)
    if user is None or getattr(user, "_wrapped", None) is empty:
        return None
    return user.pk if user.is_authenticated else None


def route(request):
    match = getattr(request, "resolver_match", None)
    return match.view_name if match else None


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = incoming_request_id(request) or uuid.uuid4().hex
        request.request_id = request_id
        token = log_context.set({"request_id": request_id})
        timer = DatabaseTimer()
        start = time.perf_counter()
        try:
            with connection.execute_wrapper(timer):
                response = self.get_response(request)
            response["X-Request-ID"] = request_id
            duration = round((time.perf_counter() - start) * 1000, 1)
            status = response.status_code
            logger.log(
                logging.ERROR if status >= 500 else logging.INFO,
                "%s %s %s %sms",
                request.method,
                request.path,
                status,
                duration,
                extra={
                    "event": "request",
                    "request_id": request_id,
                    "method": request.method,
                    "path": request.path,
                    "route": route(request),
                    "status": status,
                    "duration_ms": duration,
                    **timer.fields(),
                    "user_id": user_id(request),
                },
            )
            return response
        finally:
            log_context.reset(token)


class job_logged(ContextDecorator):  # noqa: N801 (read as a function: with job_logged(...))
    """Runs a job under its own log context and writes its "job" line:

        with job_logged("actions.tasks.send_digest", job.id, attempt=2):
            run(job)

    The line says status "ok", or "failed" with the error's type and traceback (the
    exception goes on to the runner, which retries or reports it).
    """

    def __init__(self, task, job_id, attempt=1, request_id=None):
        self.task, self.job_id, self.attempt = task, str(job_id), attempt
        self.fields = {"job_id": self.job_id, "task": task}
        if request_id:
            self.fields["request_id"] = request_id

    def _recreate_cm(self):
        # Used as a decorator, each call gets its own timer and context.
        return type(self)(self.task, self.job_id, self.attempt, self.fields.get("request_id"))

    def __enter__(self):
        self.token = log_context.set(self.fields)
        self.timer = DatabaseTimer()
        self.wrapper = connection.execute_wrapper(self.timer)
        self.wrapper.__enter__()
        self.start = time.perf_counter()
        return self

    def __exit__(self, error_type, error, tb):
        try:
            self.wrapper.__exit__(error_type, error, tb)
            duration = round((time.perf_counter() - self.start) * 1000, 1)
            failed = error_type is not None
            job_logger.log(
                logging.ERROR if failed else logging.INFO,
                "Job %s %s %s, attempt %s, %sms",
                self.task,
                self.job_id,
                "failed" if failed else "ok",
                self.attempt,
                duration,
                exc_info=(error_type, error, tb) if failed else None,
                extra={
                    **self.fields,
                    "event": "job",
                    "status": "failed" if failed else "ok",
                    "attempt": self.attempt,
                    "duration_ms": duration,
                    **({"error": error_type.__name__} if failed else {}),
                    **self.timer.fields(),
                },
            )
        finally:
            log_context.reset(self.token)
        return False
