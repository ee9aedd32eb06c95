"""The local area partnership, its organisations, and the inspections and reviews of it."""

from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords


class SlugManager(models.Manager):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Area(models.Model):
    """A local area partnership: the council and NHS bodies inspected together."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=200)

    objects = SlugManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)


class OrganisationQuerySet(models.QuerySet):
    def in_force_on(self, day):
        """The organisations in the area's partnership on `day`: begun by then (or not
        known to have begun later) and not yet ended."""
        return self.filter(
            Q(active_from__isnull=True) | Q(active_from__lte=day),
            Q(active_until__isnull=True) | Q(active_until__gte=day),
        )


class OrganisationManager(models.Manager.from_queryset(OrganisationQuerySet)):
    def get_by_natural_key(self, area_slug, short_name):
        return self.get(area__slug=area_slug, short_name=short_name)


class OrganisationKind(models.TextChoices):
    LOCAL_AUTHORITY = "local_authority", "Local authority"
    NHS_COMMISSIONER = "nhs_commissioner", "NHS commissioner"


class Organisation(models.Model):
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="organisations")
    short_name = models.CharField(max_length=20)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=30, choices=OrganisationKind)
    active_from = models.DateField(null=True, blank=True, help_text="Leave blank if not known.")
    active_until = models.DateField(
        null=True, blank=True, help_text="Last day in the area's partnership; blank if still in it."
    )
    basis = models.TextField(blank=True, help_text="Where the documents give these facts.")

    objects = OrganisationManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["area", "active_from", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "short_name"], name="organisation_unique_short_name"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=OrganisationKind.values),
                name="organisation_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(active_from__isnull=True)
                | Q(active_until__isnull=True)
                | Q(active_until__gte=F("active_from")),
                name="organisation_active_until_after_from",
                violation_error_message=(
                    "The date it left the partnership cannot be before the date it joined."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.short_name})"

    def in_force_on(self, day):
        """In the partnership on `day` (Python's side of OrganisationQuerySet.in_force_on)."""
        started = self.active_from is None or self.active_from <= day
        return started and (self.active_until is None or day <= self.active_until)

    def natural_key(self):
        return (*self.area.natural_key(), self.short_name)

    natural_key.dependencies = ["reviews.area"]


class ReviewKind(models.TextChoices):
    JOINT_INSPECTION = "joint_inspection", "Joint local area SEND inspection"
    REVISIT = "revisit", "Joint area SEND revisit"
    APP_REVIEW = "app_review", "Accelerated Progress Plan review"
    AREA_SEND_INSPECTION = "area_send_inspection", "Area SEND inspection"
    # The 2023 framework's follow-ups: Ofsted and CQC's monitoring inspection of the areas
    # for priority action, and the DfE and NHS England's stocktakes between inspections.
    # Each judges findings one by one (weaknesses.Verdict), as the revisit judged 2017's.
    MONITORING_INSPECTION = "monitoring_inspection", "Area SEND monitoring inspection"
    STOCKTAKE = "stocktake", "DfE and NHS England stocktake"


class Review(models.Model):
    """An inspection or review of the area: who did it, when, and what it concluded."""

    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="reviews")
    slug = models.SlugField(unique=True)
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=30, choices=ReviewKind)
    bodies = models.CharField(max_length=200, help_text="Who carried out the review.")
    start_date = models.DateField()
    end_date = models.DateField()
    letter_date = models.DateField(null=True, blank=True)
    published_date = models.DateField(null=True, blank=True)
    outcome = models.TextField(help_text="The outcome in the document's own words.")
    source_document = models.TextField(help_text="The document(s) and lines this comes from.")
    notes = models.TextField(blank=True, help_text="Readings made where the documents differ.")

    objects = SlugManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ReviewKind.values),
                name="review_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="review_ends_after_it_starts",
                violation_error_message="A review cannot end before it starts.",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def judged_on(self):
        """The day its verdicts were known: the letter's date, else the publication's,
        else the review's last day (the 2023 inspection's report gives neither)."""
        return self.letter_date or self.published_date or self.end_date

    def natural_key(self):
        return (self.slug,)
