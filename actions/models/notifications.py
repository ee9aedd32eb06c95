"""The outbox: every message the tracker sends a person, kept exactly as sent (subject,
body, link), with its delivery's status, attempts, last error and the provider's id. A row
is written in the same transaction as the event it tells of, so a failed send never loses
the message; actions.notify delivers it."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class NotificationKind(models.TextChoices):
    UPDATE_SUBMITTED = "update_submitted", "Update awaiting your approval"
    UPDATE_RETURNED = "update_returned", "Update returned to you"
    MONTHLY_DIGEST = "monthly_digest", "Monthly updates due"
    ESCALATION = "escalation", "Actions still overdue"


class NotificationStatus(models.TextChoices):
    WAITING = "waiting", "Waiting to be sent"
    SENT = "sent", "Sent"
    RETRYING = "retrying", "Not sent yet: will try again"
    FAILED = "failed", "Could not be sent"


class Notification(models.Model):
    """One message to one person. `key` makes it idempotent: the same event never makes
    a second message (e.g. "submitted-<rating>-v<version>-<user>", "digest-<user>-2018-09")."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="notifications"
    )
    kind = models.CharField(max_length=20, choices=NotificationKind.choices)
    subject = models.CharField(max_length=200)
    body = models.TextField(help_text="Exactly as sent.")
    link = models.CharField(max_length=500, help_text="The page the message is about (a URL).")
    key = models.CharField(max_length=200, unique=True)
    status = models.CharField(
        max_length=10, choices=NotificationStatus.choices, default=NotificationStatus.WAITING
    )
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    provider_id = models.CharField(
        max_length=100, blank=True, help_text="GOV.UK Notify's notification id (or 'smtp')."
    )
    created_at = models.DateTimeField(default=timezone.now)
    attempted_at = models.DateTimeField(null=True, blank=True)
    # A sender holds the row until then, so two workers never send it at once.
    claimed_until = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="notification_user_newest"),
            models.Index(fields=["status"], name="notification_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=NotificationStatus.values),
                name="notification_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=NotificationKind.values), name="notification_kind_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(sent_at__isnull=False),
                name="notification_sent_has_time",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} to {self.user} ({self.get_status_display()})"
