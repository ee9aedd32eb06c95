"""The plan that answers the findings (the WSOA): outcomes sought, required outcomes,
actions, their owners, and the monthly RAG/grey ratings of each action."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from actions import roles
from reviews.models import Area, Organisation
from weaknesses.models import Finding


def quarter_ends(first, last):
    """The last days of the quarters from `first` to `last`, both quarter ends."""
    ends, year, month = [], first.year, first.month
    while (year, month) <= (last.year, last.month):
        ends.append(last_day_of_month(year, month))
        year, month = (year + 1, month - 9) if month > 9 else (year, month + 3)
    return ends


def first_of_month(day):
    return day.replace(day=1)


def months_between(first, last):
    """First days of the months from `first` to `last` inclusive, newest first."""
    months, month = [], first_of_month(last)
    while month >= first_of_month(first):
        months.append(month)
        month = first_of_month(month - datetime.timedelta(days=1))
    return months


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

    def quarter_ends_until(self, last):
        """The plan's quarters, carried on to `last` (a quarter end) where ratings go on."""
        return quarter_ends(self.first_quarter_end, max(last, self.last_quarter_end))

    @property
    def first_month(self):
        """The first month that can be rated: the month of the plan's first quarter end."""
        return first_of_month(self.first_quarter_end)


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


@dataclass(frozen=True)
class WarningSign:
    """A sign, computed from the data, that an action's rating may be too kind."""

    key: str
    title: str
    rule: str


WARNING_SIGNS = [
    WarningSign(
        "green_without_evidence",
        "Green with no evidence",
        "The latest rating is Green but records no evidence, neither text nor a link.",
    ),
    WarningSign(
        "overdue_not_red",
        "Overdue but not Red",
        "The timescale's due date has passed and the latest rating is Amber or Grey: by now "
        "the action should be done (Green) or shown as behind (Red).",
    ),
    WarningSign(
        "unchanged",
        "No new commentary for three months",
        "The same rating with the same commentary since a month three or more months before "
        "this one (months with no update count as unchanged).",
    ),
    WarningSign(
        "green_to_red",
        "Green to Red with no Amber",
        "The rating went from Green straight to Red, with no Amber in between.",
    ),
    WarningSign(
        "green_measure_off_track",
        "Green while a measure is off track",
        "The latest rating is Green while a measure of success that evidences the action is "
        "off track at its latest figure.",
    ),
    WarningSign(
        "grey_without_wider_system",
        "Grey with no wider system named",
        "The latest rating is Grey but does not say which wider or alternative system is "
        "addressing the action.",
    ),
]
WARNING_SIGNS_BY_KEY = {sign.key: sign for sign in WARNING_SIGNS}


@dataclass
class UpdateForWarnings:
    """The fields of a rating the warning signs read, without a model instance for each
    (a grid of thousands of actions reads tens of thousands of ratings)."""

    month: datetime.date
    rating: str
    commentary: str
    evidence: str
    evidence_links: str
    wider_system: str

    FIELDS = ["month", "rating", "commentary", "evidence", "evidence_links", "wider_system"]

    @property
    def links(self):
        return self.evidence_links.split()

    def get_rating_display(self):
        return RatingColour(self.rating).label


def attach_warning_updates(actions):
    """Give each action, in one query, the ratings its warning signs read, in month order."""
    by_action = {action.pk: [] for action in actions}
    rows = (
        Rating.objects.filter(action_id__in=list(by_action))
        .order_by("month")
        .values_list("action_id", *UpdateForWarnings.FIELDS)
    )
    for action_id, *values in rows:
        by_action[action_id].append(UpdateForWarnings(*values))
    for action in actions:
        action.updates_for_warnings = by_action[action.pk]
    return actions


def months_apart(earlier, later):
    return (later.year - earlier.year) * 12 + later.month - earlier.month


class ActionQuerySet(models.QuerySet):
    def in_plan_order(self):
        return self.select_related("required_outcome__weakness", "required_outcome__plan").order_by(
            "required_outcome__weakness__position", "required_outcome__number", "number"
        )

    def held_by(self, user, on=None):
        """Actions owned by a role that `user` holds on the day `on` (today by default)."""
        holdings = RoleHolding.objects.current(on).filter(user=user)
        return self.filter(owners__in=holdings.values("role")).distinct()

    def for_list(self):
        """In plan order, with what the flags and owner lists read, in a fixed number of queries."""
        return self.in_plan_order().prefetch_related(
            models.Prefetch("ratings", Rating.objects.order_by("month")),
            models.Prefetch(
                "action_owners", ActionOwner.objects.select_related("role__organisation")
            ),
        )

    def with_warning_data(self):
        """The measures (with their numbers) that warning_signs() reads; its ratings come
        from attach_warning_updates(), or else one query per action."""
        return self.prefetch_related("measures__targets", "measures__figures")

    def with_latest_rating(self):
        latest = Rating.objects.filter(action=models.OuterRef("pk")).order_by("-month")
        return self.annotate(latest_rating=models.Subquery(latest.values("rating")[:1]))

    def not_rated_in(self, month):
        rated = Rating.objects.filter(action=models.OuterRef("pk"), month=month)
        return self.filter(~models.Exists(rated))

    def overdue(self, today):
        """Due date passed and not Green now (needs with_latest_rating)."""
        # Not rated counts as not Green (a plain exclude would drop NULLs in SQL).
        return self.filter(due_date__lt=today).filter(
            Q(latest_rating__isnull=True) | ~Q(latest_rating=RatingColour.GREEN)
        )

    def updatable_by(self, user):
        if roles.is_administrator(user):
            return self.all()
        if roles.is_officer(user):
            return self.held_by(user)
        return self.none()


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

    def get_absolute_url(self):
        return reverse("actions:detail", args=[self.pk])

    @property
    def code(self):
        return f"{self.required_outcome.code}.{self.number}"

    def can_be_updated_by(self, user):
        return Action.objects.updatable_by(user).filter(pk=self.pk).exists()

    # The board's flags. They read self.ratings.all(), prefetched by for_list().

    def ratings_in_order(self):
        return sorted(self.ratings.all(), key=lambda rating: rating.month)

    def latest_rating(self):
        ratings = self.ratings_in_order()
        return ratings[-1] if ratings else None

    def is_due_for_update(self, today):
        """No rating yet for the current month."""
        this_month = first_of_month(today)
        return not any(rating.month == this_month for rating in self.ratings.all())

    def is_overdue(self, today):
        """The timescale's due date has passed and the action is not Green."""
        latest = self.latest_rating()
        return bool(self.due_date and self.due_date < today) and (
            latest is None or latest.rating != RatingColour.GREEN
        )

    def is_stuck(self):
        """The same non-Green rating for three months or more (months not rated in between
        count as unchanged)."""
        ratings = self.ratings_in_order()
        if not ratings or ratings[-1].rating == RatingColour.GREEN:
            return False
        start = ratings[-1]
        for rating in reversed(ratings):
            if rating.rating != start.rating:
                break
            start = rating
        months = (ratings[-1].month.year - start.month.year) * 12 + (
            ratings[-1].month.month - start.month.month
        )
        return months + 1 >= 3

    def flags(self, today):
        return [
            label
            for label, raised in (
                ("Due for update", self.is_due_for_update(today)),
                ("Overdue", self.is_overdue(today)),
                ("Stuck", self.is_stuck()),
            )
            if raised
        ]

    # Warning signs. They read prefetched ratings and measures (with_warning_data()); the
    # latest rating is the officer's latest update, whatever its review, since it is the
    # officer's claim that the signs question.

    def warning_signs(self, today):
        """[WarningSign] raised for this action on the day `today`, in WARNING_SIGNS order."""
        raised = {
            "green_without_evidence": self.is_green_without_evidence(),
            "overdue_not_red": self.is_overdue_but_not_red(today),
            "unchanged": self.is_unchanged_for_three_months(today),
            "green_to_red": self.went_green_to_red(),
            "green_measure_off_track": self.is_green_with_measure_off_track(),
            "grey_without_wider_system": self.is_grey_without_wider_system(),
        }
        return [sign for sign in WARNING_SIGNS if raised[sign.key]]

    def warning_ratings(self):
        """The ratings in month order: those attach_warning_updates() gave, else its own."""
        if hasattr(self, "updates_for_warnings"):
            return self.updates_for_warnings
        return self.ratings_in_order()

    def latest_update(self):
        """The latest month's rating (not latest_rating(), which the grid's queryset
        shadows with an annotation)."""
        ratings = self.warning_ratings()
        return ratings[-1] if ratings else None

    def is_green_without_evidence(self):
        latest = self.latest_update()
        return bool(latest and latest.rating == RatingColour.GREEN) and not (
            latest.evidence.strip() or latest.links
        )

    def is_overdue_but_not_red(self, today):
        latest = self.latest_update()
        return (
            bool(self.due_date and self.due_date < today)
            and latest is not None
            and latest.rating in (RatingColour.AMBER, RatingColour.GREY)
        )

    def is_unchanged_for_three_months(self, today):
        """The same rating and commentary since a month at least three months before
        `today`'s month: June's update unchanged is flagged from September."""
        ratings = self.warning_ratings()
        if not ratings:
            return False
        latest = ratings[-1]
        since = latest
        for rating in reversed(ratings):
            same = (rating.rating, rating.commentary.strip()) == (
                latest.rating,
                latest.commentary.strip(),
            )
            if not same:
                break
            since = rating
        return months_apart(since.month, today) >= 3

    def went_green_to_red(self):
        """The latest change of rating was from Green straight to Red."""
        ratings = self.warning_ratings()
        if not ratings or ratings[-1].rating != RatingColour.RED:
            return False
        before = [r for r in ratings if r.rating != RatingColour.RED]
        return bool(before) and before[-1].rating == RatingColour.GREEN

    def is_green_with_measure_off_track(self):
        latest = self.latest_update()
        return bool(latest and latest.rating == RatingColour.GREEN and self.measures_off_track())

    def is_grey_without_wider_system(self):
        latest = self.latest_update()
        return (
            bool(latest and latest.rating == RatingColour.GREY) and not latest.wider_system.strip()
        )

    def measures_off_track(self):
        """The measures evidencing this action whose latest figure is off track (reads
        prefetched measures with their targets and figures)."""
        return [m for m in self.measures.all() if (v := m.latest_verdict()) and v.on_track is False]

    def rating_history(self):
        """Every change to this action's ratings, newest first: who, when, what, why."""
        records = (
            Rating.history.filter(action_id=self.pk)
            .select_related("history_user")
            .order_by("history_date", "history_id")
        )
        changes, previous = [], {}
        for record in records:
            changes.append(RatingChange(record, previous.get(record.id)))
            previous[record.id] = record
        return changes[::-1]


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


def validate_evidence_links(value):
    check = URLValidator(schemes=["http", "https"])
    for link in value.split():
        try:
            check(link)
        except ValidationError:
            raise ValidationError(
                "Enter each evidence link as a full web address starting with https:// or "
                "http://, one a line",
                code="invalid_link",
            ) from None


class RatingSource(models.TextChoices):
    PUBLISHED_DOCUMENT = "published_document", "Published document"
    USER = "user", "Recorded by a user"


class ReviewStatus(models.TextChoices):
    """Where an officer's update stands with the board's reviewers."""

    SUBMITTED = "submitted", "Awaiting review"
    ACCEPTED = "accepted", "Accepted"
    RETURNED = "returned", "Returned"


class RatingQuerySet(models.QuerySet):
    def awaiting_review(self):
        return self.filter(review_status=ReviewStatus.SUBMITTED)

    def returned(self):
        return self.filter(review_status=ReviewStatus.RETURNED)

    def for_review_list(self):
        return self.select_related(
            "action__required_outcome__weakness", "action__required_outcome__plan", "recorded_by"
        ).order_by(
            "action__required_outcome__plan__first_quarter_end",
            "action__required_outcome__weakness__position",
            "action__required_outcome__number",
            "action__number",
            "month",
        )


class Rating(models.Model):
    """An action's rating for one month: at most one per action and month.

    The officer's update is *submitted*; a reviewer *accepts* it (keeping the accepted
    word in `accepted_rating`, and the board's own in `board_rating` where they differ) or
    *returns* it with a reason. A correction is submitted again, and until it is accepted
    the grid keeps showing the version accepted before it.
    """

    action = models.ForeignKey(Action, on_delete=models.PROTECT, related_name="ratings")
    month = models.DateField(help_text="The first day of the month rated.")
    rating = models.CharField(max_length=10, choices=RatingColour)
    commentary = models.TextField(blank=True, max_length=5000)
    evidence = models.TextField(blank=True, max_length=5000)
    evidence_links = models.TextField(
        blank=True,
        max_length=5000,
        validators=[validate_evidence_links],
        help_text="One web address (http or https) a line.",
    )
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
    version = models.PositiveIntegerField(
        default=1,
        help_text="Goes up by one with every change; a save from an older one is refused.",
    )
    wider_system = models.TextField(
        blank=True,
        max_length=2000,
        help_text="For Grey: the wider or alternative system that is addressing it.",
    )
    review_status = models.CharField(
        max_length=20, choices=ReviewStatus, default=ReviewStatus.SUBMITTED
    )
    accepted_rating = models.CharField(
        max_length=10,
        choices=RatingColour,
        blank=True,
        help_text="The officer's rating as a reviewer last accepted it; blank if never.",
    )
    board_rating = models.CharField(
        max_length=10,
        choices=RatingColour,
        blank=True,
        help_text="The board's own rating, where it differs from the accepted one.",
    )
    board_note = models.TextField(blank=True, max_length=1000)
    return_reason = models.TextField(
        blank=True, max_length=1000, help_text="Why a reviewer last returned the update."
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ratings_reviewed",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    objects = RatingQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["action", "month"]
        constraints = [
            models.CheckConstraint(
                condition=Q(review_status__in=ReviewStatus.values),
                name="rating_review_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(accepted_rating="") | Q(accepted_rating__in=RatingColour.values),
                name="rating_accepted_rating_valid",
            ),
            # The board's own rating stands beside an accepted one, never alone.
            models.CheckConstraint(
                condition=Q(board_rating="")
                | (Q(board_rating__in=RatingColour.values) & ~Q(accepted_rating="")),
                name="rating_board_rating_valid",
            ),
            models.CheckConstraint(
                condition=~Q(review_status=ReviewStatus.ACCEPTED) | ~Q(accepted_rating=""),
                name="rating_accepted_has_its_rating",
            ),
            models.CheckConstraint(
                condition=~Q(review_status=ReviewStatus.RETURNED) | ~Q(return_reason=""),
                name="rating_returned_has_a_reason",
            ),
            models.CheckConstraint(
                condition=Q(reviewed_by__isnull=True, reviewed_at__isnull=True)
                | Q(reviewed_by__isnull=False, reviewed_at__isnull=False),
                name="rating_reviewer_and_time_together",
            ),
            # A published rating counts as accepted with no reviewer; an officer's update
            # is awaiting review with none, or reviewed by someone.
            models.CheckConstraint(
                condition=Q(review_status=ReviewStatus.SUBMITTED, reviewed_by__isnull=True)
                | Q(
                    review_status__in=[ReviewStatus.ACCEPTED, ReviewStatus.RETURNED],
                    reviewed_by__isnull=False,
                )
                | Q(
                    source=RatingSource.PUBLISHED_DOCUMENT,
                    review_status=ReviewStatus.ACCEPTED,
                    reviewed_by__isnull=True,
                ),
                name="rating_review_matches_source",
            ),
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

    @property
    def links(self):
        return self.evidence_links.split()

    @property
    def shown_rating(self):
        """What the board's reports show: its own rating, else the accepted one ('' if none)."""
        return self.board_rating or self.accepted_rating

    @property
    def awaiting_review(self):
        return self.review_status == ReviewStatus.SUBMITTED

    @property
    def returned(self):
        return self.review_status == ReviewStatus.RETURNED

    def get_shown_rating_display(self):
        return RatingColour(self.shown_rating).label if self.shown_rating else "Not accepted yet"

    def can_be_reviewed_by(self, user):
        """The chair, or a board member named reviewer for its weakness, and never the
        officer who recorded it."""
        if self.recorded_by_id == user.pk or self.source != RatingSource.USER:
            return False
        return self.action.required_outcome.weakness_id in Reviewer.findings_reviewed_by(user)

    def previous(self):
        """The latest rating of the same action before this month, if any."""
        return (
            Rating.objects.filter(action_id=self.action_id, month__lt=self.month)
            .order_by("-month")
            .first()
        )

    def clean(self):
        """The board's rules for a rating an officer records (published ones are as printed)."""
        if self.source != RatingSource.USER or not self.action_id or not self.month:
            return
        errors = {}
        plan = self.action.required_outcome.plan
        if self.month > first_of_month(timezone.localdate()):
            errors["month"] = "You cannot add an update for a month that has not started"
        elif self.month < plan.first_month:
            errors["month"] = (
                f"The month must be {plan.first_month:%B %Y} or later, when the plan began"
            )
        commentary = self.commentary.strip()
        previous = self.previous()
        if self.rating in (RatingColour.RED, RatingColour.AMBER) and not commentary:
            errors["commentary"] = "Enter commentary explaining the red or amber rating"
        elif previous and self.rating and previous.rating != self.rating and not commentary:
            errors["commentary"] = (
                f"Enter commentary explaining why the rating changed from "
                f"{previous.get_rating_display()} in {previous.month:%B %Y}"
            )
        if self.rating == RatingColour.GREEN and not (self.evidence.strip() or self.links):
            errors["evidence"] = (
                "Enter the evidence that the work is completed or embedding, or a link to it"
            )
        if errors:
            raise ValidationError(errors)


class RatingChange:
    """One entry of an action's rating history, compared with the version before it."""

    COMPARED = [
        "rating",
        "commentary",
        "evidence",
        "evidence_links",
        "wider_system",
        "review_status",
        "board_rating",
        "board_note",
        "return_reason",
    ]

    def __init__(self, record, before):
        self.record, self.before = record, before
        self.when = record.history_date
        self.month = record.month
        self.loaded = record.history_change_reason == "load_record"
        self.who = record.history_user
        self.reason = "" if self.loaded else (record.history_change_reason or "")
        self.kind = {"+": "Recorded", "~": "Corrected", "-": "Deleted"}[record.history_type]
        reviewed = before is not None and before.review_status == ReviewStatus.SUBMITTED
        if reviewed and record.review_status == ReviewStatus.ACCEPTED:
            self.kind = "Accepted"
        elif reviewed and record.review_status == ReviewStatus.RETURNED:
            self.kind = "Returned"

    @property
    def changes(self):
        """(what, from, to) for each compared field that differs from the version before."""
        if self.before is None:
            return [
                (field_label(name), "", display(self.record, name))
                for name in self.COMPARED
                if getattr(self.record, name)
            ]
        return [
            (field_label(name), display(self.before, name), display(self.record, name))
            for name in self.COMPARED
            if getattr(self.before, name) != getattr(self.record, name)
        ]


def field_label(name):
    return Rating._meta.get_field(name).verbose_name.capitalize()


def display(record, name):
    value = getattr(record, name)
    if name in ("rating", "board_rating"):
        return RatingColour(value).label if value else "none"
    if name == "review_status":
        return ReviewStatus(value).label
    return value


class EveryFinding:
    """The chair's scope: every finding."""

    def __contains__(self, finding_id):
        return True

    def __bool__(self):
        return True


class Reviewer(models.Model):
    """A board member who reviews officers' updates: for one weakness, or, with no
    finding, the board's chair, who reviews every weakness."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reviewer_roles"
    )
    finding = models.ForeignKey(
        Finding,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reviewers",
        help_text="Blank for the board's chair, who reviews every weakness.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["finding__position", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["user", "finding"], name="reviewer_unique_finding"),
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(finding__isnull=True),
                name="reviewer_chair_once",
                violation_error_message="This person is already the chair.",
            ),
        ]

    def __str__(self):
        what = f"weakness {self.finding.code}" if self.finding_id else "every weakness (chair)"
        return f"{self.user} reviews {what}"

    def clean(self):
        if self.user_id and not self.user.groups.filter(name=roles.BOARD_MEMBER).exists():
            raise ValidationError({"user": "A reviewer must be a board member"})

    @classmethod
    def findings_reviewed_by(cls, user):
        """The ids of the findings `user` reviews: EveryFinding for the chair, a set (maybe
        empty) otherwise. Read once per request."""
        if not hasattr(user, "_findings_reviewed"):
            scope = set()
            if user.is_authenticated and user.is_active and roles.is_board_member(user):
                scope = set(cls.objects.filter(user=user).values_list("finding_id", flat=True))
            user._findings_reviewed = EveryFinding() if None in scope else scope
        return user._findings_reviewed


class PublicSummary(models.Model):
    """Text a reviewer has approved for the public progress page. The latest one for a
    finding is the one shown; earlier ones stay, so what families were told is kept."""

    finding = models.ForeignKey(Finding, on_delete=models.PROTECT, related_name="public_summaries")
    plain_english = models.TextField(
        max_length=1000, help_text="What the inspectors found, in plain English."
    )
    being_done = models.TextField(max_length=2000, help_text="What is being done about it.")
    you_said_we_did = models.TextField(
        max_length=2000, help_text="The latest progress for families: you said, we did."
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="summaries_published"
    )
    published_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["finding", "-published_at"]
        verbose_name_plural = "public summaries"

    def __str__(self):
        return f"Summary of {self.finding.code} published {self.published_at:%d %b %Y}"


class Reminder(models.Model):
    """A monthly reminder sent to an officer: at most one per officer and month."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reminders"
    )
    month = models.DateField(help_text="The first day of the month reminded about.")
    sent_at = models.DateTimeField(default=timezone.now)
    actions_due = models.PositiveIntegerField()
    actions_overdue = models.PositiveIntegerField()

    class Meta:
        ordering = ["-month", "user"]
        constraints = [
            models.UniqueConstraint(fields=["user", "month"], name="reminder_one_per_month"),
        ]

    def __str__(self):
        return f"Reminder to {self.user} for {self.month:%B %Y}"


# Measures of success: the numbers that should back the ratings ----------------------


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

    def can_be_updated_by(self, user):
        """Officers of a role owning one of its actions, and administrators, add figures."""
        if roles.is_administrator(user):
            return True
        return (
            roles.is_officer(user)
            and self.actions.filter(pk__in=Action.objects.held_by(user).values("pk")).exists()
        )

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
        """On track when the actual meets or beats the target in the better direction.
        None when either is missing: no verdict without both numbers."""
        if actual is None or target is None:
            return None
        return actual >= target if self.better == Better.HIGHER else actual <= target

    def latest_verdict(self):
        """The latest period judged on or off track, or None if none can be judged yet."""
        judged = [point for point in self.progress() if point.on_track is not None]
        return judged[-1] if judged else None

    @property
    def baseline_display(self):
        return self.format(self.baseline_value)

    def point(self, period_end, label, target, actual, on_track):
        return MeasurePoint(
            period_end, label, target, actual, on_track, self.format(target), self.format(actual)
        )

    def progress(self):
        """[MeasurePoint] over the baseline and every period with a target or a figure. A
        point's target is the one in force then; `declared` says the plan set one for it."""
        targets = {t.period_end: t for t in self.targets.all()}
        figures = {f.period_end: f for f in self.figures.all()}
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
    source = models.TextField(help_text="Where the figure comes from.")
    note = models.TextField(blank=True, max_length=2000)
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
            if self.period_end < first:
                errors["period_end"] = f"The period must end in {first:%B %Y} or later"
            elif self.period_end > last_day_of_month(*timezone.localdate().timetuple()[:2]):
                errors["period_end"] = "The period cannot end after this month"
        if errors:
            raise ValidationError(errors)
