"""Measures of success: the performance framework's groups and measures, and the
measures that carry numbers (a baseline, targets and actual figures)."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from actions.rules import on_track
from actions.rules.periods import (
    MONTH_END_SUFFIXES,
    PERIOD_END_MESSAGE,
    ends_a_month,
    last_day_of_month,
)
from actions.rules.text import TypedText
from weaknesses.models import Finding

from .action import Action
from .plan import Plan


class PerformanceGroup(models.Model):
    """A group of the plan's performance framework (the WSOA's Annex B)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="performance_groups")
    name = models.CharField(max_length=200)
    position = models.PositiveSmallIntegerField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "position"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "name"], name="performance_group_unique_name"),
        ]

    def __str__(self):
        return self.name


class FrameworkMeasure(models.Model):
    """A measure the framework lists in a group, whether or not it carries numbers here."""

    group = models.ForeignKey(
        PerformanceGroup, on_delete=models.CASCADE, related_name="framework_measures"
    )
    name = models.CharField(max_length=300)
    position = models.PositiveSmallIntegerField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["group", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "position"], name="framework_measure_unique_position"
            ),
        ]

    def __str__(self):
        return self.name


class MeasureUnit(models.TextChoices):
    PERCENT = "percent", "%"
    COUNT = "count", "count"
    DAYS = "days", "days"


class Better(models.TextChoices):
    HIGHER = "higher", "Higher is better"
    LOWER = "lower", "Lower is better"


class Measure(models.Model):
    """A measure of success that carries numbers: a baseline, targets and actual figures."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="measures")
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=300)
    group = models.ForeignKey(
        PerformanceGroup, on_delete=models.SET_NULL, null=True, blank=True, related_name="measures"
    )
    unit = models.CharField(max_length=10, choices=MeasureUnit)
    better = models.CharField(max_length=10, choices=Better)
    findings = models.ManyToManyField(Finding, blank=True, related_name="measures")
    actions = models.ManyToManyField(Action, blank=True, related_name="measures")
    baseline_value = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    baseline_period_end = models.DateField(null=True, blank=True)
    baseline_label = models.CharField(max_length=200, blank=True)
    baseline_source = models.TextField(blank=True)
    notes = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(unit__in=MeasureUnit.values), name="measure_unit_valid"
            ),
            models.CheckConstraint(
                condition=Q(better__in=Better.values), name="measure_better_valid"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("actions:measure", args=[self.slug])

    def format(self, value):
        if value is None:
            return "–"
        number = f"{value.normalize():,f}" if hasattr(value, "normalize") else f"{value:,}"
        return f"{number}%" if self.unit == MeasureUnit.PERCENT else f"{number} {self.unit}"

    def check_value(self, value):
        """The message for a value this measure cannot take, or None."""
        if value is None:
            return "Enter the figure"
        if value < 0:
            return "The figure cannot be negative"
        if self.unit == MeasureUnit.PERCENT and value > 100:
            return "Enter a percentage between 0 and 100"
        if self.unit != MeasureUnit.PERCENT and value != int(value):
            return f"Enter a whole number of {self.get_unit_display()}"
        return None

    def target_for(self, period_end):
        """The target that applies at `period_end`: the latest one on or before it."""
        applying = [t for t in self.targets.all() if t.period_end <= period_end]
        return max(applying, key=lambda t: t.period_end) if applying else None

    def is_on_track(self, actual, target):
        """rules.on_track for this measure's better direction."""
        return on_track.is_on_track(actual, target, self.better)

    def latest_verdict(self, as_at=None):
        """The latest period judged on or off track, or None if none can be judged yet."""
        judged = [point for point in self.progress(as_at) if point.on_track is not None]
        return judged[-1] if judged else None

    def verdict_known_at(self, day):
        """The latest period ending on or before `day` that is judged on or off track (what
        was known then), or None."""
        judged = [p for p in self.progress() if p.on_track is not None and p.period_end <= day]
        return judged[-1] if judged else None

    @property
    def baseline_display(self):
        return self.format(self.baseline_value)

    def point(self, period_end, label, target, actual, on_track):
        return MeasurePoint(
            period_end, label, target, actual, on_track, self.format(target), self.format(actual)
        )

    def known_figures(self, as_at=None):
        """The figures known as at an AsAt (rules.as_at; None: now): its period had ended
        by then, and one an officer recorded had been recorded by then. A figure from the
        record (recorded by nobody, transcribed from a document) is known from its
        period's end: the tracker's `recorded_at` for it is when the record was loaded."""
        if as_at is None:
            return list(self.figures.all())
        return [
            f
            for f in self.figures.all()
            if f.period_end <= as_at.day
            and (f.recorded_by_id is None or f.recorded_at <= as_at.moment)
        ]

    def progress(self, as_at=None):
        """[MeasurePoint] over the baseline and every period with a target or a figure
        known as at `as_at` (known_figures). A point's target is the one in force then;
        `declared` says the plan set one for it."""
        targets = {t.period_end: t for t in self.targets.all()}
        figures = {f.period_end: f for f in self.known_figures(as_at)}
        rows = []
        if self.baseline_value is not None and self.baseline_period_end:
            rows.append(
                self.point(
                    self.baseline_period_end,
                    f"Baseline: {self.baseline_label}",
                    None,
                    self.baseline_value,
                    None,
                )
            )
        for period_end in sorted(set(targets) | set(figures)):
            figure = figures.get(period_end)
            target = self.target_for(period_end)
            actual = figure.value if figure else None
            point = self.point(
                period_end,
                (figure or targets.get(period_end)).label,
                target.value if target else None,
                actual,
                self.is_on_track(actual, target.value if target else None),
            )
            point.declared = period_end in targets
            rows.append(point)
        return rows


@dataclass
class MeasurePoint:
    period_end: datetime.date
    label: str
    target: object
    actual: object
    on_track: bool | None
    target_display: str = ""
    actual_display: str = ""
    declared: bool = False  # the plan set a target for this very period


class MeasureTarget(models.Model):
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="targets")
    period_end = models.DateField()
    label = models.CharField(max_length=100)
    value = models.DecimalField(max_digits=10, decimal_places=2)
    source = models.TextField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["measure", "period_end"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "period_end"], name="target_one_per_period"),
            models.CheckConstraint(condition=Q(value__gte=0), name="target_not_negative"),
        ]

    def __str__(self):
        return f"{self.measure}: {self.label} target {self.value}"


class MeasureFigure(models.Model):
    """An actual figure for a period: from a document, or recorded by an officer."""

    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="figures")
    period_end = models.DateField(help_text="The last day of the period the figure is for.")
    label = models.CharField(max_length=100, help_text="The period in words, e.g. June 2018.")
    value = models.DecimalField(max_digits=10, decimal_places=2)
    source = models.TextField(
        validators=[TypedText("Source")], help_text="Where the figure comes from."
    )
    note = models.TextField(blank=True, max_length=2000, validators=[TypedText("Note")])
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="figures_recorded",
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["measure", "period_end"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "period_end"], name="figure_one_per_period"),
            models.CheckConstraint(condition=Q(value__gte=0), name="figure_not_negative"),
            # A figure someone records is for a period ending on a month's last day. The
            # record's figures (recorded by nobody) keep the day their document gives:
            # "at the October 2019 revisit" is 17 October 2019.
            models.CheckConstraint(
                condition=Q(recorded_by__isnull=True)
                | Q(*[Q(period_end__endswith=end) for end in MONTH_END_SUFFIXES], _connector=Q.OR),
                name="figure_recorded_period_ends_a_month",
                violation_error_message=PERIOD_END_MESSAGE,
            ),
        ]

    def __str__(self):
        return f"{self.measure}: {self.label} {self.value}"

    def clean(self):
        if not self.measure_id or self.value is None:
            return
        errors = {}
        message = self.measure.check_value(self.value)
        if message:
            errors["value"] = message
        if self.period_end:
            first = self.measure.plan.first_month
            if self.recorded_by_id and not ends_a_month(self.period_end):
                errors["period_end"] = PERIOD_END_MESSAGE
            elif self.period_end < first:
                errors["period_end"] = f"The period must end in {first:%B %Y} or later"
            elif self.period_end > last_day_of_month(*timezone.localdate().timetuple()[:2]):
                errors["period_end"] = "The period cannot end after this month"
        if errors:
            raise ValidationError(errors)
