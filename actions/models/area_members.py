"""A board member's (or the chair's) areas: which local areas' pages they see once the
tracker holds more than one (actions.areas). Officers see the areas of the owner roles they
hold; administrators see every area."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from reviews.models import Area


class AreaMember(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="area_memberships"
    )
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="members")

    history = HistoricalRecords()

    class Meta:
        ordering = ["area", "user"]
        verbose_name = "area's board member"
        verbose_name_plural = "areas' board members"
        constraints = [
            models.UniqueConstraint(fields=["user", "area"], name="area_member_once"),
        ]

    def __str__(self):
        return f"{self.user} sees {self.area}"
