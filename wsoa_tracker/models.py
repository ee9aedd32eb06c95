"""The audit's own models: accounts' history and the seals of the hash chain.

Accounts have history too: who changed a name, an email, a role or an account's status,
when and why (issue 12). Without it, renaming a user silently rewrote who appears in every
history entry.

The history keeps no password hashes (they would stay in an append-only table for ever)
and no row for each sign-in (Django saves `last_login` then). Group memberships are kept
with each row, so a role given or taken away is in the history as well.
"""

from django.contrib.auth import get_user_model
from django.db import models
from simple_history import register
from simple_history.models import HistoricalRecords

User = get_user_model()

NOT_KEPT = ["password", "last_login"]


class AccountHistory(HistoricalRecords):
    """simple-history's records, without a row for a save of `last_login` alone, and with
    memberships changed from the group's side recorded on each user concerned."""

    instance = None  # the one AccountHistory, for `record_account_event`

    def finalize(self, sender, **kwargs):
        super().finalize(sender, **kwargs)
        AccountHistory.instance = self

    def post_save(self, instance, created, using=None, **kwargs):
        update_fields = kwargs.get("update_fields")
        if not created and update_fields is not None and set(update_fields) <= {"last_login"}:
            return
        super().post_save(instance, created, using=using, **kwargs)

    def m2m_changed(self, instance, action, attr, pk_set, reverse, **kwargs):
        if not reverse:
            return super().m2m_changed(instance, action, attr, pk_set, reverse, **kwargs)
        # group.user_set.add(...): the users concerned each get a row.
        if action == "pre_clear":
            instance._users_before_clear = list(instance.user_set.values_list("pk", flat=True))
            return None
        if action == "post_clear":
            pk_set = getattr(instance, "_users_before_clear", [])
        if action in ("post_add", "post_remove", "post_clear"):
            for user in User.objects.filter(pk__in=pk_set or []):
                self.create_historical_record(user, "~")
        return None


register(
    User,
    app=__package__,
    records_class=AccountHistory,
    excluded_fields=NOT_KEPT,
    m2m_fields=["groups"],
)


def record_account_event(user, reason):
    """A history row for something done to an account that changes none of its fields
    (a link to set a password sent), with who (the request's user) and why."""
    user._change_reason = reason
    AccountHistory.instance.create_historical_record(user, "~")


class AuditSeal(models.Model):
    """One seal per history row, in the order the rows were written: the SHA-256 of the
    previous seal's digest and the row's content (wsoa_tracker.audit_chain). Append-only,
    like the history it seals. The unique `previous` means the chain cannot fork."""

    table = models.CharField(max_length=63)
    row_id = models.BigIntegerField()
    previous = models.CharField(max_length=64, unique=True)
    digest = models.CharField(max_length=64, unique=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["table", "row_id"], name="one_seal_per_history_row")
        ]

    def __str__(self):
        return f"Seal {self.pk}: {self.table} {self.row_id}"


from .jobs import JobKey  # noqa: E402, F401 - background jobs' idempotency keys
from .statements import StatementDetails  # noqa: E402, F401 - the statements' details


class IdentityProviderRole(models.Model):
    """One rule of single sign-on (wsoa_tracker.sso.role_mapping): whoever signs in through
    `provider` with `claim_value` in their groups claim holds `role` in the tracker."""

    class Role(models.TextChoices):
        OFFICER = "officer", "Programme Board officer"
        BOARD_MEMBER = "board_member", "Board member"
        CHAIR = "chair", "Chair (a board member who approves every weakness's updates)"
        ADMINISTRATOR = "administrator", "Administrator"

    provider = models.ForeignKey(
        "socialaccount.SocialApp",
        on_delete=models.CASCADE,
        related_name="tracker_roles",
        verbose_name="identity provider",
    )
    claim_value = models.CharField(
        max_length=255,
        help_text="A value of the provider's groups claim, exactly as the provider sends it "
        "(for Microsoft Entra ID, the group's object ID).",
    )
    role = models.CharField(max_length=20, choices=Role.choices)

    history = HistoricalRecords()

    class Meta:
        ordering = ["provider__name", "claim_value", "role"]
        verbose_name = "role from an identity provider"
        verbose_name_plural = "roles from identity providers"
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "claim_value", "role"],
                name="one_mapping_per_provider_claim_and_role",
                violation_error_message="This group already gives this role.",
            )
        ]

    def __str__(self):
        return f"{self.provider.name}: {self.claim_value} → {self.get_role_display()}"
