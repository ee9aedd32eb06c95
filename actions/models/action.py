"""Actions: what the plan says will be done, by when, and by whom; and the named queries
the pages ask of them."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from actions.rules import flags
from actions.rules.shown import latest_shown

from .owners import OwnerRole, RoleHolding
from .plan import RequiredOutcome
from .ratings import Rating

# `warning_measures`: the measures (with their numbers) that the warning signs read, as a
# list (a manager and a queryset for each of 700 actions cost the 10x grid a tenth of its
# time); their ratings come from rules.warning_signs.attach_warning_updates(), or else one
# query per action. Read only where signs are raised: a closed plan's grid reads none.
WARNING_DATA = (
    models.Prefetch("measures", to_attr="warning_measures"),
    "warning_measures__targets",
    "warning_measures__figures",
)


def attach_warning_data(actions):
    """Fetch WARNING_DATA for a list of actions, in three queries (skipped where fetched)."""
    models.prefetch_related_objects(actions, *WARNING_DATA)
    return actions


class ActionQuerySet(models.QuerySet):
    def in_plan_order(self):
        return self.select_related(
            "required_outcome__weakness", "required_outcome__plan__life"
        ).order_by("required_outcome__weakness__position", "required_outcome__number", "number")

    def held_by(self, user, on=None):
        """Actions owned by a role that `user` holds on the day `on` (today by default)."""
        holdings = RoleHolding.objects.current(on).filter(user=user)
        return self.filter(owners__in=holdings.values("role")).distinct()

    def for_list(self):
        """In plan order, as the actions list and the officers' digests show them: the
        flags' updates come from rules.flags.attach_updates(), in one more query, for the
        page shown. Neither shows the owners, so they are not read."""
        return self.in_plan_order()

    def with_warning_data(self):
        """With what the warning signs read (WARNING_DATA): for pages that raise them."""
        return self.prefetch_related(*WARNING_DATA)

    def with_latest_update_rating(self):
        """Annotated with `latest_update_rating`: the word of the officer's latest update,
        approved or not (NULL if none), which the flags read."""
        latest = Rating.objects.filter(action=models.OuterRef("pk")).order_by("-month")
        return self.annotate(latest_update_rating=models.Subquery(latest.values("rating")[:1]))

    def with_latest_shown(self, ratings=None):
        """Annotated with `latest_shown`: the rating the board is shown for the action's
        latest month that shows one (NULL: not rated), from `ratings` (now by default, or
        the ratings as at a day), as the grid's cells show it."""
        return self.annotate(latest_shown=latest_shown(ratings or Rating.objects.all()))

    def not_rated_in(self, month):
        rated = Rating.objects.filter(action=models.OuterRef("pk"), month=month)
        return self.filter(~models.Exists(rated))

    def overdue(self, today):
        """The flag "Overdue" as a filter (rules.flags.OVERDUE)."""
        return self.with_latest_update_rating().filter(flags.overdue_condition(today))


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
