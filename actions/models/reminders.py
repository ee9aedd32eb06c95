"""Monthly reminders sent to officers: at most one per officer and month."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class Reminder(models.Model):
    """A monthly reminder sent to an officer: at most one per officer and month."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reminders"
    )
    month = models.DateField(help_text="The first day of the month reminded about.")
    sent_at = models.DateTimeField(default=timezone.now)
    actions_due = models.PositiveIntegerField()
    actions_overdue = models.PositiveIntegerField()

    class Meta:
        ordering = ["-month", "user"]
        constraints = [
            models.UniqueConstraint(fields=["user", "month"], name="reminder_one_per_month"),
        ]

    def __str__(self):
        return f"Reminder to {self.user} for {self.month:%B %Y}"
