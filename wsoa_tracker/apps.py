"""The project package as an app: its signal receivers, error templates and audit models."""

from django.apps import AppConfig


class WsoaTrackerConfig(AppConfig):
    """The project itself, as an app: its signal receivers and error templates."""

    name = "wsoa_tracker"
    verbose_name = "WSOA Tracker"

    def ready(self):
        # Connect the signal receivers: the sign-in time, no deleting of people in the
        # record, a seal for each history row, and the break-glass account's log lines.
        from . import accounts, audit_chain, sessions, users  # noqa: F401
