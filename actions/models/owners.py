"""Who owns the actions: owner roles (job roles such as "SEN Manager"), who held each
role when (role holdings), and each action's owners."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from reviews.models import Area, Organisation


class OwnerRoleManager(models.Manager):
    def get_queryset(self):
        # A role is named with its organisation (__str__): every list of roles, such as
        # the owner filter's choices, reads it in the same query, not one query a role.
        return super().get_queryset().select_related("organisation")

    def get_by_natural_key(self, area_slug, title):
        return self.get(area__slug=area_slug, title=title)


class OwnerRole(models.Model):
    """A job role that owns or leads actions, such as "SEN Manager"."""

    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="owner_roles")
    title = models.CharField(max_length=200)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owner_roles",
        help_text="Blank for a role of the partnership as a whole, or where no document says.",
    )
    basis = models.TextField(blank=True, help_text="Why this organisation: the document's words.")

    objects = OwnerRoleManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(fields=["area", "title"], name="owner_role_unique_title"),
        ]

    def __str__(self):
        if self.organisation_id:
            return f"{self.title} ({self.organisation.short_name})"
        return self.title

    def natural_key(self):
        return (*self.area.natural_key(), self.title)

    natural_key.dependencies = ["reviews.area"]


class RoleHoldingQuerySet(models.QuerySet):
    def current(self, on=None):
        on = on or timezone.localdate()
        return self.filter(Q(held_until__isnull=True) | Q(held_until__gte=on), held_from__lte=on)


class RoleHolding(models.Model):
    """Who held an owner role, and when: role holders change, and who held it when matters."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="role_holdings"
    )
    role = models.ForeignKey(OwnerRole, on_delete=models.PROTECT, related_name="holdings")
    held_from = models.DateField(default=timezone.localdate)
    held_until = models.DateField(null=True, blank=True, help_text="Blank while still held.")

    objects = RoleHoldingQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["role", "held_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(held_until__isnull=True) | Q(held_until__gte=F("held_from")),
                name="role_holding_ends_after_it_starts",
                violation_error_message="A role cannot be given up before it is taken on.",
            ),
        ]

    def __str__(self):
        return f"{self.user} holds {self.role} from {self.held_from:%d %b %Y}"


class OwnerKind(models.TextChoices):
    ACTION_OWNER = "action_owner", "Action owner"
    ACCOUNTABLE_LEADER = "accountable_leader", "Accountable leader"
    NOT_DISTINGUISHED = "not_distinguished", "Action owner / accountable leader"


class ActionOwner(models.Model):
    action = models.ForeignKey(
        "actions.Action", on_delete=models.CASCADE, related_name="action_owners"
    )
    role = models.ForeignKey(OwnerRole, on_delete=models.PROTECT, related_name="action_owners")
    kind = models.CharField(
        max_length=30,
        choices=OwnerKind,
        default=OwnerKind.NOT_DISTINGUISHED,
        help_text="Whether the plan names this role as owner or accountable leader.",
    )
    position = models.PositiveSmallIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        ordering = ["action", "position"]
        constraints = [
            models.UniqueConstraint(fields=["action", "role"], name="action_owner_unique_role"),
            models.CheckConstraint(
                condition=Q(kind__in=OwnerKind.values), name="action_owner_kind_valid"
            ),
        ]

    def __str__(self):
        return f"{self.role} - {self.get_kind_display()}"
