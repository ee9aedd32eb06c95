"""Ratings: an action's RAG/grey rating for one month, the officer's update that carries
it, and where it stands with the board's approvers (submitted, accepted, returned)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from actions.rules import plan_life, rating_key
from actions.rules.periods import first_of_month
from actions.rules.shown import shown_rating
from actions.rules.text import TypedText


class RatingColour(models.TextChoices):
    """The WSOA's RAG/grey key. No rating at all means "not rated", which is not Grey."""

    GREEN = "green", "Green"
    AMBER = "amber", "Amber"
    RED = "red", "Red"
    GREY = "grey", "Grey"


# The plan's meaning of each rating, from the one rating key.
RATING_MEANINGS = {entry.value: entry.meaning for entry in rating_key.KEY}


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


class ApprovalStatus(models.TextChoices):
    """Where an officer's update stands with the board's approvers."""

    SUBMITTED = "submitted", "Awaiting approval"
    ACCEPTED = "accepted", "Accepted"
    RETURNED = "returned", "Returned"


class RatingQuerySet(models.QuerySet):
    def awaiting_approval(self):
        return self.filter(approval_status=ApprovalStatus.SUBMITTED)

    def returned(self):
        return self.filter(approval_status=ApprovalStatus.RETURNED)

    def for_approval_list(self):
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

    The officer's update is *submitted*; an approver *accepts* it (keeping the accepted
    word in `accepted_rating`, and the board's own in `board_rating` where they differ) or
    *returns* it with a reason. A correction is submitted again, and until it is accepted
    the grid keeps showing the version accepted before it.
    """

    action = models.ForeignKey("actions.Action", on_delete=models.PROTECT, related_name="ratings")
    month = models.DateField(help_text="The first day of the month rated.")
    rating = models.CharField(max_length=10, choices=RatingColour)
    commentary = models.TextField(blank=True, max_length=5000, validators=[TypedText("Commentary")])
    evidence = models.TextField(blank=True, max_length=5000, validators=[TypedText("Evidence")])
    evidence_links = models.TextField(
        blank=True,
        max_length=5000,
        validators=[validate_evidence_links, TypedText("Evidence links")],
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
        validators=[TypedText("Wider system")],
        help_text="For Grey: the wider or alternative system that is addressing it.",
    )
    approval_status = models.CharField(
        max_length=20, choices=ApprovalStatus, default=ApprovalStatus.SUBMITTED
    )
    accepted_rating = models.CharField(
        max_length=10,
        choices=RatingColour,
        blank=True,
        help_text="The officer's rating as an approver last accepted it; blank if never.",
    )
    board_rating = models.CharField(
        max_length=10,
        choices=RatingColour,
        blank=True,
        help_text="The board's own rating, where it differs from the accepted one.",
    )
    board_note = models.TextField(blank=True, max_length=1000, validators=[TypedText("Board note")])
    return_reason = models.TextField(
        blank=True,
        max_length=1000,
        validators=[TypedText("Return reason")],
        help_text="Why an approver last returned the update.",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ratings_decided",
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    objects = RatingQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["action", "month"]
        constraints = [
            models.CheckConstraint(
                condition=Q(approval_status__in=ApprovalStatus.values),
                name="rating_approval_status_valid",
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
                condition=~Q(approval_status=ApprovalStatus.ACCEPTED) | ~Q(accepted_rating=""),
                name="rating_accepted_has_its_rating",
            ),
            models.CheckConstraint(
                condition=~Q(approval_status=ApprovalStatus.RETURNED) | ~Q(return_reason=""),
                name="rating_returned_has_a_reason",
            ),
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True, decided_at__isnull=True)
                | Q(decided_by__isnull=False, decided_at__isnull=False),
                name="rating_decider_and_time_together",
            ),
            # A published rating counts as accepted with no approver; an officer's update
            # is awaiting approval with none, or decided by someone.
            models.CheckConstraint(
                condition=Q(approval_status=ApprovalStatus.SUBMITTED, decided_by__isnull=True)
                | Q(
                    approval_status__in=[ApprovalStatus.ACCEPTED, ApprovalStatus.RETURNED],
                    decided_by__isnull=False,
                )
                | Q(
                    source=RatingSource.PUBLISHED_DOCUMENT,
                    approval_status=ApprovalStatus.ACCEPTED,
                    decided_by__isnull=True,
                ),
                name="rating_approval_matches_source",
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
    def awaiting_approval(self):
        return self.approval_status == ApprovalStatus.SUBMITTED

    @property
    def returned(self):
        return self.approval_status == ApprovalStatus.RETURNED

    def shown(self):
        """What the board's reports show for this month (rules.shown), '' for none."""
        return shown_rating(self.source, self.accepted_rating, self.board_rating, self.rating)

    def get_shown_display(self):
        shown = self.shown()
        return RatingColour(shown).label if shown else "Not accepted yet"

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
        today = timezone.localdate()
        last = plan_life.last_month_to_rate(plan, today)  # the months that can be rated
        if self.month > first_of_month(today):
            errors["month"] = "You cannot add an update for a month that has not started"
        elif self.month > last:
            errors["month"] = (
                f"The month must be {last:%B %Y} or earlier: the plan's monitoring ended then"
            )
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
