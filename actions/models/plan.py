"""The plan and what it promises: a Plan (such as the WSOA of March 2018), its life (draft,
live, closed, with the dates), the outcomes it seeks for each finding, and its required
outcomes, numbered within their finding."""

from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from actions.rules import plan_life
from actions.rules.periods import first_of_month, quarter_ends
from actions.rules.plan_life import PlanStatus
from actions.rules.text import TypedText
from reviews.models import Area
from weaknesses.models import Finding


class PlanManager(models.Manager):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Plan(models.Model):
    """A plan answering findings, such as the Written Statement of Action of March 2018."""

    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="plans")
    slug = models.SlugField(unique=True)
    # One line each: the short name names every export's file.
    title = models.CharField(max_length=200, validators=[TypedText("Title", one_line=True)])
    short_name = models.CharField(
        max_length=20, validators=[TypedText("Short name", one_line=True)]
    )
    fit_for_purpose_on = models.DateField(null=True, blank=True)
    first_quarter_end = models.DateField(help_text="Last day of the plan's first quarter.")
    last_quarter_end = models.DateField(help_text="Last day of the plan's last quarter.")
    findings = models.ManyToManyField(Finding, related_name="plans", help_text="What it answers.")
    source = models.TextField()
    notes = models.TextField(blank=True)

    objects = PlanManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["first_quarter_end"]
        constraints = [
            models.CheckConstraint(
                condition=Q(last_quarter_end__gte=F("first_quarter_end")),
                name="plan_ends_after_it_starts",
                violation_error_message="The last quarter cannot end before the first.",
            ),
        ]

    def __str__(self):
        return self.title

    def natural_key(self):
        return (self.slug,)

    def quarter_ends(self):
        return quarter_ends(self.first_quarter_end, self.last_quarter_end)

    @property
    def first_month(self):
        """The first month that can be rated: the month of the plan's first quarter end."""
        return first_of_month(self.first_quarter_end)

    def is_live(self, today):
        return plan_life.is_live(self, today)

    def accepts_updates(self, today):
        return plan_life.accepts_updates(self, today)

    def record_note(self, today):
        return plan_life.record_note(self, today)


class PlanLife(models.Model):
    """A plan's life (rules.plan_life): draft, live or closed, the day it went live, the day
    it closed and what superseded it, with the documents they come from. Its own record (and
    history table), so that the plan's sealed history rows stay as they were sealed. A plan
    with none is live from its first month."""

    plan = models.OneToOneField(Plan, on_delete=models.CASCADE, related_name="life")
    status = models.CharField(
        max_length=10,
        choices=PlanStatus,
        default=PlanStatus.LIVE,
        help_text="Live: monitored and taking updates. Closed: a record. To reopen a closed "
        "plan, set it back to Live and clear the day it closed.",
    )
    live_from = models.DateField(help_text="The first day it was monitored.")
    closed_on = models.DateField(
        null=True, blank=True, help_text="The day it closed: from then on it reads as a record."
    )
    superseded_by = models.CharField(
        max_length=300,
        blank=True,
        validators=[TypedText("Superseded by", one_line=True)],
        help_text='What replaced it, for example "the Accelerated Progress Plan (APP)".',
    )
    basis = models.TextField(
        blank=True, help_text="The documents (and lines) its dates and status come from."
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "plan's life"
        verbose_name_plural = "plans' lives"
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=PlanStatus.values), name="plan_life_status_valid"
            ),
            # A closed plan has its closing day; a live or draft one has none.
            models.CheckConstraint(
                condition=Q(status=PlanStatus.CLOSED, closed_on__isnull=False)
                | (~Q(status=PlanStatus.CLOSED) & Q(closed_on__isnull=True)),
                name="plan_life_closed_on_with_closed",
                violation_error_message=(
                    "Enter the day a closed plan closed; a live or draft plan has none (clear "
                    "it to reopen the plan)"
                ),
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gt=F("live_from")),
                name="plan_life_closes_after_it_goes_live",
                violation_error_message="A plan closes after the day it went live",
            ),
        ]

    def __str__(self):
        return f"{self.plan}: {self.get_status_display()}"


class OutcomeSought(models.Model):
    """One of the outcomes the plan seeks for a finding ("Outcome we are seeking to achieve")."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="outcomes_sought")
    finding = models.ForeignKey(Finding, on_delete=models.PROTECT, related_name="outcomes_sought")
    position = models.PositiveSmallIntegerField()
    text = models.TextField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "finding__position", "position"]
        verbose_name_plural = "outcomes sought"
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "finding", "position"], name="outcome_sought_unique_position"
            ),
        ]

    def __str__(self):
        return f"{self.finding.code} outcome sought {self.position}"


class RequiredOutcome(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="required_outcomes")
    weakness = models.ForeignKey(
        Finding, on_delete=models.PROTECT, related_name="required_outcomes"
    )
    number = models.PositiveSmallIntegerField(help_text="Numbered within its weakness.")
    title = models.TextField()
    source = models.TextField(blank=True)
    notes = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "weakness__position", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "weakness", "number"],
                name="required_outcome_unique_number",
                violation_error_message=(
                    "This weakness already has a required outcome with that number in this plan."
                ),
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1), name="required_outcome_number_from_1"
            ),
        ]

    def __str__(self):
        return f"{self.code}. {self.title[:80]}"

    @property
    def code(self):
        """The finding's code and this number: "A1" for the WSOA's weakness A. Where the
        finding's code ends in a digit (the 2023 areas for priority action, "APA3"), a
        hyphen keeps the two apart: "APA3-1", never "APA31", which reads as APA31."""
        separator = "-" if self.weakness.code[-1:].isdigit() else ""
        return f"{self.weakness.code}{separator}{self.number}"
