"""gunicorn's settings for production (`make production`), all from the environment.

Each app server is stateless (sessions live in PostgreSQL, static files are served by
WhiteNoise from the release), so a council can run several behind a load balancer.
"""

import multiprocessing
import os

wsgi_app = "wsoa_tracker.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8443")
# Threads share each worker's memory; the rule of thumb is 2 workers a core, plus one.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = 60
graceful_timeout = 30
# Recycle workers now and then, so a slow leak can never build up.
max_requests = 2000
max_requests_jitter = 200
# Our own request line (wsoa_tracker.request_log) replaces the access log: JSON, with
# the request id and without the query string. GUNICORN_ACCESS_LOG=- brings it back.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"

if os.environ.get("DJANGO_BEHIND_PROXY", "") in {"1", "true", "yes", "on"}:
    # The council's proxy terminates TLS; trust its X-Forwarded-* headers only.
    forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
else:
    # Serving HTTPS itself (one machine, or trying production mode locally).
    certfile = os.environ.get("TLS_CERT", ".tls/cert.pem")
    keyfile = os.environ.get("TLS_KEY", ".tls/key.pem")


def post_worker_init(worker):
    """Each worker is warmed (views imported, templates compiled) before it takes a
    request, so that nobody's request pays for it (wsoa_tracker.warm)."""
    from wsoa_tracker.warm import warm

    compiled, seconds = warm()
    worker.log.info("Worker warmed: %d templates compiled in %.2f s", compiled, seconds)
