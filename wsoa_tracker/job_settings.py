"""Settings of the job runner (django-q2 with its ORM broker: the queue, the schedules and
the results live in the project's own database, SQLite or PostgreSQL).

Used by wsoa_tracker.jobs (enqueue, run) and wsoa_tracker.schedules; the worker is
`manage.py qcluster`, started beside the web server by `manage.py beside_worker`.
"""

import os

Q_CLUSTER = {
    "name": "wsoa",
    # The ORM broker: queued jobs are rows of django_q_ormq in the default database.
    "orm": "default",
    "workers": int(os.environ.get("WSOA_JOB_WORKERS", "2")),
    # A job is stopped after `timeout` seconds (the slowest, the board pack, waits up to
    # 5 minutes for a render slot and then renders); a job not acknowledged `retry`
    # seconds after it was taken (it failed, or its worker died) is taken again, at most
    # `max_attempts` times in all; then it stays in "Failed tasks" with its arguments.
    "timeout": int(os.environ.get("WSOA_JOB_TIMEOUT", "900")),
    "retry": int(os.environ.get("WSOA_JOB_RETRY", "960")),
    "max_attempts": int(os.environ.get("WSOA_JOB_ATTEMPTS", "3")),
    "ack_failures": False,
    # A schedule missed while no worker ran runs once when one starts, not once per miss.
    "catch_up": False,
    # Successful runs kept for the admin's list (failed ones are all kept).
    "save_limit": 1000,
    # Seconds between looks at the queue when it is empty.
    "poll": float(os.environ.get("WSOA_JOB_POLL", "1")),
    "label": "Background jobs",
    # Each cluster writes its statistics (for qinfo and qmonitor) to this cache twice a
    # second; a name that is not in CACHES switches that off, sparing the database cache
    # (and SQLite's write lock). The admin's job screens do not need them.
    "cache": "job-runner-statistics-not-kept",
}
