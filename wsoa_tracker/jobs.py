"""Background work: the one door through which the tracker asks for a job to be run, and
the one function every job runs through.

`enqueue(task, *args, key=...)` names a task by its dotted path ("actions.notify.deliver")
and its arguments (plain, JSON-safe values: ids and ISO dates, never model instances).
Call it inside a transaction's `on_commit`, so that a job never runs for a write that was
rolled back. `key` makes the job idempotent: a second enqueue with the same key while the
first is waiting or done (succeeded or failed) is ignored. The key is a unique row
(`JobKey`), written in the same transaction as the queued job, so two app servers
enqueueing at once make one job, and a crash between the two leaves neither.

The runner is django-q2 with its ORM broker (wsoa_tracker/job_settings.py): a queued job
is a row in the project's own database until a worker (`manage.py qcluster`) takes it.
Every job, enqueued here or started by a schedule (wsoa_tracker/schedules.py), runs as
`run(task, *args)`. With Q_CLUSTER's `sync` on (the tests), a job runs at once in the
caller, after its key is committed.
"""

import uuid

from django.db import models, transaction
from django.utils.module_loading import import_string
from django_q.conf import Conf
from django_q.tasks import async_task

from .request_log import current_request_id, job_logged

RUN = "wsoa_tracker.jobs.run"


def run(task, *args, job_id=None, request_id=None):
    """Every job runs here: the task at `task`'s dotted path, with `args`, under its own log
    context and "job" log line (wsoa_tracker.request_log.job_logged), carrying the id of
    the request that enqueued it. A schedule's run has no id given: it gets one here."""
    with job_logged(task, job_id or uuid.uuid4().hex, request_id=request_id):
        return import_string(task)(*args)


def enqueue(task, *args, key=None):
    """Queue `task(*args)` to run through `run`; returns the job's id, or None when a job
    with this `key` was enqueued before."""
    with transaction.atomic():
        if key is not None:
            _, created = JobKey.objects.get_or_create(key=key, defaults={"task": task})
            if not created:
                return None
        ids = {"job_id": uuid.uuid4().hex, "request_id": current_request_id()}
        if not Conf.SYNC:
            return async_task(RUN, task, *args, group=task, **ids)
    return async_task(RUN, task, *args, group=task, **ids)  # at once, once the key is committed


class JobKey(models.Model):
    """An idempotency key taken by `enqueue`: at most one job is ever made for it."""

    key = models.CharField(max_length=200, unique=True)
    task = models.CharField(max_length=200, help_text="The task's dotted path.")
    enqueued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "wsoa_tracker"
        verbose_name = "job key"

    def __str__(self):
        return self.key
