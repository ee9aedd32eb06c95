"""Background work: the one door through which the tracker asks for a job to be run.

`enqueue(task, *args, key=...)` names a task by its dotted path ("actions.notify.deliver")
and its arguments (plain, JSON-safe values: ids and ISO dates, never model instances).
Call it inside a transaction's `on_commit`, so that a job never runs for a write that was
rolled back. `key` makes the job idempotent: a second enqueue with the same key while the
first is waiting or done is ignored by the runner.

Until the job runner lands, this runs the task at once in the calling process.
"""

from django.utils.module_loading import import_string


def enqueue(task, *args, key=None):
    return import_string(task)(*args)
