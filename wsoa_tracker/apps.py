"""The project package as an app: its signal receivers, error templates and audit models."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class WsoaTrackerConfig(AppConfig):
    """The project itself, as an app: its signal receivers and error templates."""

    name = "wsoa_tracker"
    verbose_name = "WSOA Tracker"

    def ready(self):
        # Connect the signal receivers: the sign-in time, no deleting of people in the
        # record, a seal for each history row, and the break-glass account's log lines.
        from . import accounts, audit_chain, sessions, users  # noqa: F401

        # The job runner's schedules follow wsoa_tracker/schedules.py after every migrate.
        post_migrate.connect(sync_schedules, sender=self)


def sync_schedules(using, **kwargs):
    from django.db import connections
    from django_q.models import Schedule

    from . import schedules

    if Schedule._meta.db_table in connections[using].introspection.table_names():
        schedules.sync()
