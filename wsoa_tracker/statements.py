"""The details the statements (accessibility, privacy, cookies) print that administrators
keep without a release: who to contact, who the controllers are, and when each statement
was last reviewed. One row (a singleton), with its history; until an administrator saves
it, the statements read its defaults, and reading them never writes it."""

import datetime

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from actions.rules.text import TypedText

SINGLETON = 1


def first_written():
    """The day the statements were first written and reviewed (a callable default)."""
    return datetime.date(2026, 12, 2)


class StatementDetails(models.Model):
    id = models.PositiveSmallIntegerField(primary_key=True, default=SINGLETON, editable=False)
    controller = models.CharField(
        max_length=200,
        default="Oxfordshire County Council",
        validators=[TypedText("Controller", one_line=True)],
        help_text="The organisation that decides why and how the tracker's personal data is used.",
    )
    joint_controllers = models.CharField(
        max_length=300,
        blank=True,
        default="Buckinghamshire, Oxfordshire and Berkshire West Integrated Care Board (ICB)",
        validators=[TypedText("Joint controllers", one_line=True)],
        help_text="Any organisations that decide this jointly with the controller.",
    )
    contact_email = models.EmailField(
        blank=True, help_text="Where people report a problem or ask about their data."
    )
    contact_phone = models.CharField(
        max_length=40, blank=True, validators=[TypedText("Telephone", one_line=True)]
    )
    data_protection_officer = models.CharField(
        max_length=300,
        blank=True,
        validators=[TypedText("Data protection officer", one_line=True)],
        help_text="How to contact each data protection officer.",
    )
    reply_within_days = models.PositiveSmallIntegerField(
        default=10, help_text="Working days within which a report of a problem is answered."
    )
    accessibility_prepared_on = models.DateField(default=first_written)
    accessibility_reviewed_on = models.DateField(default=first_written)
    privacy_reviewed_on = models.DateField(default=first_written)
    cookies_reviewed_on = models.DateField(default=first_written)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "statements' details"
        verbose_name_plural = "statements' details"
        constraints = [
            models.CheckConstraint(condition=Q(id=SINGLETON), name="statement_details_singleton"),
        ]

    def __str__(self):
        return "Contact details and review dates of the statements"

    @classmethod
    def current(cls):
        """The saved details, or the defaults (unsaved) if nobody has saved them yet."""
        return cls.objects.filter(pk=SINGLETON).first() or cls()
