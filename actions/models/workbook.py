"""Plan workbook uploads: the file an administrator uploaded, kept server-side with its
SHA-256, the preview made from it, and who confirmed it when. Confirming reads this stored
file again, never anything the browser sends back."""

import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone


class WorkbookUpload(models.Model):
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="workbook_uploads"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)
    file_name = models.CharField(max_length=200)
    sha256 = models.CharField(max_length=64)
    content = models.BinaryField()
    plan_slug = models.CharField(max_length=50, blank=True)
    preview = models.JSONField(help_text="What confirming would do, as previewed.")
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="workbook_uploads_confirmed",
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-uploaded_at"]

    def __str__(self):
        return f"Workbook upload {self.pk}: {self.file_name}"

    @staticmethod
    def digest(data):
        return hashlib.sha256(data).hexdigest()

    def intact(self):
        """The stored file is still the file that was uploaded and previewed."""
        return self.digest(bytes(self.content)) == self.sha256
