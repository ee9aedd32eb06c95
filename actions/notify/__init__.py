"""Notifications (README: Notifications): the events that tell people something
(events.py), the outbox that delivers each message once and keeps it (outbox.py), and the
channels it is sent by: GOV.UK Notify, or SMTP when no Notify key is set (channels.py).

The job runner's tasks are here by these names: "actions.notify.deliver" (one message, on
commit of the event), "actions.notify.deliver_pending" (the sweep, every minute) and
"actions.notify.escalate_overdue" (daily)."""

from .events import escalate_overdue
from .outbox import deliver, deliver_pending

__all__ = ["deliver", "deliver_pending", "escalate_overdue"]
