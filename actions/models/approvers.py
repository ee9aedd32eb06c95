"""The board's approvers: board members who accept or return officers' updates, for one
weakness, or (as the chair) for every weakness."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from actions import roles
from weaknesses.models import Finding


class Approver(models.Model):
    """A board member who approves or returns officers' updates: for one weakness, or, with no
    finding, the board's chair, who approves every weakness's updates."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="approver_roles"
    )
    finding = models.ForeignKey(
        Finding,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="approvers",
        help_text="Blank for the board's chair, who approves every weakness's updates.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["finding__position", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["user", "finding"], name="approver_unique_finding"),
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(finding__isnull=True),
                name="approver_chair_once",
                violation_error_message="This person is already the chair.",
            ),
        ]

    def __str__(self):
        what = f"weakness {self.finding.code}" if self.finding_id else "every weakness (chair)"
        return f"{self.user} approves {what}"

    def clean(self):
        if self.user_id and not self.user.groups.filter(name=roles.BOARD_MEMBER).exists():
            raise ValidationError({"user": "An approver must be a board member"})
