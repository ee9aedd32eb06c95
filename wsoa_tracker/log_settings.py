"""Settings for the logs: one JSON line a record, on standard error (wsoa_tracker.logs,
wsoa_tracker.request_log)."""

import os

from .env import env_flag

# Logs go to standard error, where gunicorn and the host's journal collect them: one JSON
# object a line (DJANGO_LOG_FORMAT=plain for the older single-line text). Each line carries
# the request_id (or job_id) of the request (or job) it was written for; errors' pages show
# that id as their reference. Whatever a user typed is escaped inside its JSON string, so
# that a username with a newline or quotes cannot forge a line or a field. Any handler
# added here (a SIEM's) should use the same formatter and the "context" filter.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "context": {"()": "wsoa_tracker.request_log.ContextFilter"},
    },
    "formatters": {
        "json": {"()": "wsoa_tracker.logs.JsonLineFormatter"},
        "plain": {
            "()": "wsoa_tracker.logs.SingleLineFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
        },
    },
    "handlers": {
        "stderr": {
            "class": "logging.StreamHandler",
            "formatter": "plain" if os.environ.get("DJANGO_LOG_FORMAT") == "plain" else "json",
            "filters": ["context"],
        },
    },
    "root": {"handlers": ["stderr"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        # Our error handler logs each error once, with its reference; the request line
        # (wsoa_tracker.requests) says every response's status.
        "django.request": {"level": "ERROR"},
    },
}

# Behind the proxy (DJANGO_BEHIND_PROXY), take the request id from the X-Request-ID the
# proxy sets (nginx: proxy_set_header X-Request-ID $request_id), so that the proxy's log
# and ours share it. Only if the proxy always sets it: otherwise a client would choose it.
PROXY_SETS_REQUEST_ID = env_flag("DJANGO_PROXY_SETS_REQUEST_ID")
