"""Text an approver has published for families on the public progress page."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from actions.rules.text import TypedText
from weaknesses.models import Finding


class PublicSummary(models.Model):
    """Text an approver has published for the public progress page. The latest one for a
    finding is the one shown; earlier ones stay, so what families were told is kept."""

    finding = models.ForeignKey(Finding, on_delete=models.PROTECT, related_name="public_summaries")
    plain_english = models.TextField(
        max_length=1000,
        validators=[TypedText("Plain English")],
        help_text="What the inspectors found, in plain English.",
    )
    being_done = models.TextField(
        max_length=2000,
        validators=[TypedText("What is being done")],
        help_text="What is being done about it.",
    )
    you_said_we_did = models.TextField(
        max_length=2000,
        validators=[TypedText("You said we did")],
        help_text="The latest progress for families: you said, we did.",
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="summaries_published"
    )
    published_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["finding", "-published_at"]
        verbose_name_plural = "public summaries"

    def __str__(self):
        return f"Summary of {self.finding.code} published {self.published_at:%d %b %Y}"
