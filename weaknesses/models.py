"""Findings that require action (the 2017 weaknesses, the 2023 areas for priority action and
for improvement), the links between them, and the verdicts later reviews gave on them."""

from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from simple_history.models import HistoricalRecords

from reviews.models import Organisation, Review


class FindingKind(models.TextChoices):
    SIGNIFICANT_WEAKNESS = "significant_weakness", "Significant weakness"
    AREA_FOR_PRIORITY_ACTION = "area_for_priority_action", "Area for priority action"
    AREA_FOR_IMPROVEMENT = "area_for_improvement", "Area for improvement"


class FindingQuerySet(models.QuerySet):
    def significant_weaknesses(self):
        return self.filter(kind=FindingKind.SIGNIFICANT_WEAKNESS)


class FindingManager(models.Manager.from_queryset(FindingQuerySet)):
    def get_by_natural_key(self, review_slug, code):
        return self.get(review__slug=review_slug, code=code)


class Finding(models.Model):
    review = models.ForeignKey(
        Review,
        on_delete=models.PROTECT,
        related_name="findings",
        help_text="The review that found it.",
    )
    code = models.CharField(
        max_length=10, help_text="A-E for the 2017 weaknesses; APA1.. and AFI1.. for 2023."
    )
    position = models.PositiveSmallIntegerField(help_text="Order in the review's document.")
    kind = models.CharField(max_length=30, choices=FindingKind)
    text = models.TextField(help_text="The finding in the document's own words.")
    responsible_organisations = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="findings",
        help_text="The bodies the document names as responsible.",
    )
    continues = models.ManyToManyField(
        "self",
        through="FindingContinuation",
        symmetrical=False,
        related_name="continued_by",
        through_fields=("later_finding", "earlier_finding"),
    )
    source = models.TextField(help_text="The document and lines this comes from.")
    notes = models.TextField(blank=True)

    objects = FindingManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["review__start_date", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "code"], name="finding_unique_code_in_review"
            ),
            models.UniqueConstraint(
                fields=["review", "position"], name="finding_unique_position_in_review"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=FindingKind.values), name="finding_kind_valid"
            ),
        ]

    def __str__(self):
        return f"{self.code}: {self.text[:90]}"

    def get_absolute_url(self):
        return reverse("findings:detail", args=[self.pk])

    def natural_key(self):
        return (*self.review.natural_key(), self.code)

    natural_key.dependencies = ["reviews.review"]


class FindingContinuation(models.Model):
    """A later finding that carries on an earlier one, with the words that make the link."""

    later_finding = models.ForeignKey(
        Finding, on_delete=models.CASCADE, related_name="continuations"
    )
    earlier_finding = models.ForeignKey(
        Finding, on_delete=models.PROTECT, related_name="continuations_from"
    )
    basis = models.TextField(help_text="The document's words that make the link plain.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["later_finding", "earlier_finding"]
        constraints = [
            models.UniqueConstraint(
                fields=["later_finding", "earlier_finding"], name="finding_continuation_unique"
            ),
            models.CheckConstraint(
                condition=~Q(later_finding=F("earlier_finding")),
                name="finding_continuation_not_itself",
                violation_error_message="A finding cannot continue itself.",
            ),
        ]

    def __str__(self):
        return f"{self.later_finding.code} continues {self.earlier_finding.code}"


class Judgement(models.TextChoices):
    SUFFICIENT_PROGRESS = "sufficient_progress", "Sufficient progress"
    NOT_SUFFICIENT_PROGRESS = "not_sufficient_progress", "Not sufficient progress"
    MONITORING_CONTINUES = "monitoring_continues", "Monitoring continues"
    MONITORING_NO_LONGER_REQUIRED = (
        "monitoring_no_longer_required",
        "Monitoring no longer required",
    )


class VerdictQuerySet(models.QuerySet):
    def issued_by(self, day):
        """The verdicts known by the end of `day` (Review.judged_on: the letter's date,
        else the publication's, else the review's last day)."""
        issued = Coalesce("review__letter_date", "review__published_date", "review__end_date")
        return self.alias(issued_on=issued).filter(issued_on__lte=day)


class Verdict(models.Model):
    """A review's judgement on a finding, quoting the document."""

    review = models.ForeignKey(Review, on_delete=models.PROTECT, related_name="verdicts")
    finding = models.ForeignKey(Finding, on_delete=models.PROTECT, related_name="verdicts")
    judgement = models.CharField(max_length=40, choices=Judgement)
    summary = models.TextField(help_text="The verdict sentence, quoted.")
    reasons = models.TextField(help_text="The reviewers' reasons, quoted.")
    source = models.TextField(help_text="The document and lines this comes from.")
    notes = models.TextField(blank=True)

    objects = VerdictQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["review__start_date", "finding__position"]
        constraints = [
            models.UniqueConstraint(fields=["review", "finding"], name="verdict_one_per_finding"),
            models.CheckConstraint(
                condition=Q(judgement__in=Judgement.values), name="verdict_judgement_valid"
            ),
        ]

    def __str__(self):
        return f"{self.review}: {self.finding.code} - {self.get_judgement_display()}"
