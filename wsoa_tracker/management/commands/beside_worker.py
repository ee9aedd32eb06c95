"""Run a web server with the job worker (`manage.py qcluster`) beside it, so that they
start and stop together: `manage.py beside_worker -- gunicorn -c gunicorn.conf.py`
(`make production`) or `-- python manage.py runserver` (`make run`)."""

import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand

STOP_WAIT = 30  # seconds each may take to stop before it is killed


def worker_command():
    return [sys.executable, str(settings.BASE_DIR / "manage.py"), "qcluster"]


def run_together(server, worker):
    """Start `worker` and `server` (argument lists). When either ends, or this process is
    told to stop (SIGTERM, SIGINT), the other is stopped too. Returns the exit code of the
    one that ended first."""
    # Each in its own process group, signalled as a whole: runserver's reloader and
    # gunicorn's and the worker's own processes all stop, none is left orphaned.
    children = [
        subprocess.Popen(worker, process_group=0),
        subprocess.Popen(server, process_group=0),
    ]
    # The worker (django-q2 1.11) stops cleanly on SIGINT, as on Ctrl-C, while SIGTERM can
    # leave it waiting; the server gets SIGTERM (gunicorn's graceful stop).
    stop_signals = {children[0]: signal.SIGINT, children[1]: signal.SIGTERM}

    def signal_all(signals):
        for child in children:
            if child.poll() is None:
                try:
                    os.killpg(child.pid, signals[child])
                except ProcessLookupError:
                    pass

    def stop(signum, frame):
        signal_all(stop_signals)

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        while all(child.poll() is None for child in children):
            time.sleep(0.2)
        first = next(child for child in children if child.returncode is not None)
        signal_all(stop_signals)
        for child in children:
            try:
                child.wait(STOP_WAIT)
            except subprocess.TimeoutExpired:
                signal_all({child: signal.SIGKILL for child in children})
                child.wait()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return first.returncode


class Command(BaseCommand):
    help = (
        "Run the given web server command with the job worker (manage.py qcluster) beside "
        "it; when either stops, the other is stopped. Usage: beside_worker -- COMMAND ..."
    )

    def add_arguments(self, parser):
        parser.add_argument("server", nargs="+", help="the web server's command")

    def handle(self, *args, server, **options):
        code = run_together(server, worker_command())
        if code:
            sys.exit(code)
