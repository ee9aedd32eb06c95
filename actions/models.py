"""The plan that answers the findings (the WSOA): outcomes sought, required outcomes,
actions, their owners, and the monthly RAG/grey ratings of each action."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from reviews.models import Area, Organisation
from weaknesses.models import Finding


def quarter_ends(first, last):
    """The last days of the quarters from `first` to `last`, both quarter ends."""
    ends, year, month = [], first.year, first.month
    while (year, month) <= (last.year, last.month):
        ends.append(last_day_of_month(year, month))
        year, month = (year + 1, month - 9) if month > 9 else (year, month + 3)
    return ends


def last_day_of_month(year, month):
    following = datetime.date(year + month // 12, month % 12 + 1, 1)
    return following - datetime.timedelta(days=1)


class PlanManager(models.Manager):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Plan(models.Model):
    """A plan answering findings, such as the Written Statement of Action of March 2018."""

    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="plans")
    slug = models.SlugField(unique=True)
    title = models.CharField(max_length=200)
    short_name = models.CharField(max_length=20)
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
        return f"{self.weakness.code}{self.number}"


class OwnerRoleManager(models.Manager):
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


class ActionQuerySet(models.QuerySet):
    def in_plan_order(self):
        return self.select_related("required_outcome__weakness").order_by(
            "required_outcome__weakness__position", "required_outcome__number", "number"
        )


class Action(models.Model):
    required_outcome = models.ForeignKey(
        RequiredOutcome, on_delete=models.PROTECT, related_name="actions"
    )
    number = models.PositiveSmallIntegerField(help_text="Order within the required outcome.")
    text = models.TextField()
    timescale = models.CharField(
        max_length=200, blank=True, help_text="As written in the plan; blank where none is printed."
    )
    due_date = models.DateField(
        null=True, blank=True, help_text="Where the timescale names one: the end of that month."
    )
    measures_of_success = models.TextField(blank=True)
    owners = models.ManyToManyField(OwnerRole, through="ActionOwner", related_name="actions")
    source = models.TextField(blank=True)
    notes = models.TextField(blank=True)

    objects = ActionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["required_outcome", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["required_outcome", "number"],
                name="action_unique_number",
                violation_error_message=(
                    "This required outcome already has an action with that number."
                ),
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="action_number_from_1"),
        ]

    def __str__(self):
        return f"{self.code} {self.text[:80]}"

    @property
    def code(self):
        return f"{self.required_outcome.code}.{self.number}"


class OwnerKind(models.TextChoices):
    ACTION_OWNER = "action_owner", "Action owner"
    ACCOUNTABLE_LEADER = "accountable_leader", "Accountable leader"
    NOT_DISTINGUISHED = "not_distinguished", "Action owner / accountable leader"


class ActionOwner(models.Model):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="action_owners")
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


class RatingColour(models.TextChoices):
    """The WSOA's RAG/grey key. No rating at all means "not rated", which is not Grey."""

    GREEN = "green", "Green"
    AMBER = "amber", "Amber"
    RED = "red", "Red"
    GREY = "grey", "Grey"


RATING_MEANINGS = {
    RatingColour.GREEN: "completed / embedding",
    RatingColour.AMBER: "progressing",
    RatingColour.RED: "little or no progress",
    RatingColour.GREY: "being addressed via wider / alternative systems",
}


class RatingSource(models.TextChoices):
    PUBLISHED_DOCUMENT = "published_document", "Published document"
    USER = "user", "Recorded by a user"


class Rating(models.Model):
    """An action's rating for one month: at most one per action and month."""

    action = models.ForeignKey(Action, on_delete=models.PROTECT, related_name="ratings")
    month = models.DateField(help_text="The first day of the month rated.")
    rating = models.CharField(max_length=10, choices=RatingColour)
    commentary = models.TextField(blank=True)
    evidence = models.TextField(blank=True)
    source = models.CharField(max_length=30, choices=RatingSource, default=RatingSource.USER)
    source_reference = models.TextField(
        blank=True, help_text="For a published rating: the document and lines."
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ratings_recorded",
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["action", "month"]
        constraints = [
            models.UniqueConstraint(
                fields=["action", "month"],
                name="rating_one_per_action_per_month",
                violation_error_message="This action already has a rating for that month.",
            ),
            models.CheckConstraint(
                condition=Q(rating__in=RatingColour.values), name="rating_colour_valid"
            ),
            # Text match rather than month__day, which SQLite could only check through a
            # function Django registers, breaking the sqlite3 shell and restores.
            models.CheckConstraint(
                condition=Q(month__endswith="-01"),
                name="rating_month_is_first_day",
                violation_error_message=(
                    "Enter the first day of the month rated, for example 01/06/2018."
                ),
            ),
            # A published rating names its document; a user's rating names its user.
            models.CheckConstraint(
                condition=Q(source=RatingSource.PUBLISHED_DOCUMENT, recorded_by__isnull=True)
                | Q(source=RatingSource.USER, recorded_by__isnull=False),
                name="rating_source_matches_recorder",
            ),
        ]

    def __str__(self):
        return f"{self.action.code} {self.month:%b %Y}: {self.get_rating_display()}"

    @property
    def meaning(self):
        return RATING_MEANINGS[self.rating]
