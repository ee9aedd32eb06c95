"""API tokens: what an administrator issues to a person for the read-only API (actions/api),
kept only as a hash (the token itself is shown once, on issue), revocable, with when it was
last used (written at most once a minute, so that reads do not write each time)."""

import datetime
import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

PREFIX = "wsoa_"
LAST_USED_EVERY = datetime.timedelta(minutes=1)


def digest_of(token):
    """The SHA-256 of a token, as hex: a token is 256 random bits, so no salt or slow hash
    is needed, and a token is found by its digest in one indexed query."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


class ApiToken(models.Model):
    """One person's token. Revoked is refused for good; a new one is issued instead."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="api_tokens",
        help_text="Whose reading rights the token carries.",
    )
    name = models.CharField(max_length=100, help_text="What it is for, e.g. “Power BI report”.")
    digest = models.CharField(max_length=64, unique=True, editable=False)
    shown_start = models.CharField(
        max_length=16, editable=False, help_text="The token's first characters, to tell it apart."
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        editable=False,
    )
    issued_at = models.DateTimeField(default=timezone.now, editable=False)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
    )

    class Meta:
        verbose_name = "API token"
        ordering = ["-issued_at", "-pk"]

    def __str__(self):
        return f"{self.name} ({self.shown_start}…) for {self.user}"

    @staticmethod
    def new_secret():
        return PREFIX + secrets.token_urlsafe(32)

    @property
    def is_revoked(self):
        return self.revoked_at is not None

    def note_use(self, now=None):
        """Records the use, unless it was recorded less than LAST_USED_EVERY ago: one
        UPDATE at most a minute, none otherwise."""
        now = now or timezone.now()
        if self.last_used_at and now - self.last_used_at < LAST_USED_EVERY:
            return
        ApiToken.objects.filter(pk=self.pk).update(last_used_at=now)
        self.last_used_at = now
