"""The admin screens for the plan's records: plans and their life (where an administrator
closes or reopens one), required outcomes, actions with their owners and ratings, role
holdings, measures, approvers, (read only) public summaries and the notifications' outbox
(read only, with "Send again" for a message that could not be sent). Ratings and figures saved
here go through actions.services; a plan that takes no updates refuses them."""

from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import Prefetch
from django.forms import Textarea
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from weaknesses.admin import FindingAdmin
from weaknesses.models import Finding

from . import permissions
from .models import (
    Action,
    ActionOwner,
    Approver,
    AreaMember,
    FrameworkMeasure,
    Measure,
    MeasureFigure,
    MeasureTarget,
    OutcomeSought,
    OwnerRole,
    PerformanceGroup,
    Plan,
    PlanLife,
    PublicSummary,
    Rating,
    RequiredOutcome,
    RoleHolding,
)
from .rules import plan_life
from .rules.periods import validate_period_end
from .services import figure_save_in_admin, rating_save_in_admin


class OutcomeSoughtInline(admin.StackedInline):
    model = OutcomeSought
    extra = 0
    fields = ["plan", "position", "text"]


class RequiredOutcomeInline(admin.StackedInline):
    model = RequiredOutcome
    fk_name = "weakness"
    extra = 0
    fields = ["plan", "number", "title", "source", "notes"]
    show_change_link = True


# A finding's admin page shows what the plans answer it with; the weaknesses app knows
# nothing of plans, so the plan's inlines are added here.
admin.site.unregister(Finding)


@admin.register(Finding)
class FindingWithPlanAdmin(FindingAdmin):
    inlines = [OutcomeSoughtInline, RequiredOutcomeInline, *FindingAdmin.inlines]


@admin.register(Plan)
class PlanAdmin(SimpleHistoryAdmin):
    list_display = [
        "title",
        "short_name",
        "status",
        "fit_for_purpose_on",
        "first_quarter_end",
        "last_quarter_end",
    ]
    list_select_related = ["life"]
    search_fields = ["title", "short_name"]
    filter_horizontal = ["findings"]

    @admin.display(description="Status today")
    def status(self, plan):
        return plan_life.record_note(plan, timezone.localdate()) or "Live"


@admin.register(PlanLife)
class PlanLifeAdmin(SimpleHistoryAdmin):
    """Close a plan, or reopen it (status back to Live, the day it closed cleared); its
    history keeps every change."""

    list_display = ["plan", "status", "live_from", "closed_on", "superseded_by"]
    list_select_related = ["plan"]
    fields = ["plan", "status", "live_from", "closed_on", "superseded_by", "basis"]

    def get_readonly_fields(self, request, obj=None):
        return ["plan"] if obj else []


class ActionInline(admin.StackedInline):
    model = Action
    extra = 0
    fields = ["number", "text", "timescale", "due_date", "measures_of_success"]
    show_change_link = True


@admin.register(RequiredOutcome)
class RequiredOutcomeAdmin(SimpleHistoryAdmin):
    list_display = ["code", "title", "weakness", "plan"]
    list_display_links = ["code", "title"]
    list_filter = ["plan", "weakness"]
    search_fields = ["title"]
    list_select_related = ["weakness", "plan"]
    ordering = ["plan", "weakness__position", "number"]
    autocomplete_fields = ["weakness"]
    inlines = [ActionInline]

    @admin.display(description="Number", ordering="number")
    def code(self, required_outcome):
        return required_outcome.code


class RoleHoldingInline(admin.TabularInline):
    model = RoleHolding
    extra = 0
    autocomplete_fields = ["user"]
    fields = ["user", "held_from", "held_until"]


@admin.register(RoleHolding)
class RoleHoldingAdmin(SimpleHistoryAdmin):
    list_display = ["user", "role", "held_from", "held_until"]
    list_filter = [("role", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["user__username", "user__first_name", "user__last_name", "role__title"]
    list_select_related = ["user", "role__organisation"]
    autocomplete_fields = ["user", "role"]


@admin.register(AreaMember)
class AreaMemberAdmin(SimpleHistoryAdmin):
    """Which areas a board member or the chair sees once there is more than one."""

    list_display = ["user", "area"]
    list_filter = ["area"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    list_select_related = ["user", "area"]
    autocomplete_fields = ["user"]


@admin.register(OwnerRole)
class OwnerRoleAdmin(SimpleHistoryAdmin):
    list_display = ["title", "organisation", "area"]
    list_filter = ["organisation"]
    search_fields = ["title", "organisation__short_name"]
    list_select_related = ["organisation", "area"]
    inlines = [RoleHoldingInline]


class ActionOwnerInline(admin.TabularInline):
    model = ActionOwner
    extra = 0
    autocomplete_fields = ["role"]
    fields = ["position", "role", "kind"]


class RatingAdminForm(forms.ModelForm):
    """A rating changed in the admin: refused, with the plan's note, while its plan takes
    no updates (rules.plan_life), as the officers' form and the services refuse it."""

    def clean(self):
        data = super().clean()
        action = data.get("action") or getattr(self.instance, "action", None)
        if action is not None and self.has_changed():
            refusal = plan_life.refusal(action.required_outcome.plan, timezone.localdate())
            if refusal:
                raise forms.ValidationError(refusal, code="plan_not_live")
        return data


class RatingInline(admin.TabularInline):
    model = Rating
    form = RatingAdminForm
    extra = 0
    formfield_overrides = {models.TextField: {"widget": Textarea(attrs={"rows": 3, "cols": 30})}}
    fields = [
        "month",
        "rating",
        "commentary",
        "evidence",
        "evidence_links",
        "source",
        "recorded_by",
        "recorded_at",
        "version",
    ]
    readonly_fields = ["source", "recorded_by", "recorded_at", "version"]


def record_who_rated(request, ratings):
    for rating in ratings:
        rating_save_in_admin(rating=rating, user=request.user)


@admin.register(Action)
class ActionAdmin(SimpleHistoryAdmin):
    list_display = ["code", "short_text", "timescale", "due_date", "owner_list"]
    list_display_links = ["code", "short_text"]
    list_filter = [
        "required_outcome__plan",
        ("required_outcome__weakness", admin.RelatedOnlyFieldListFilter),
        ("owners", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["text", "timescale", "measures_of_success", "owners__title"]
    ordering = ["required_outcome__weakness__position", "required_outcome__number", "number"]
    autocomplete_fields = ["required_outcome"]
    inlines = [ActionOwnerInline, RatingInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("required_outcome__weakness")
            .prefetch_related(Prefetch("action_owners", ActionOwner.objects.select_related("role")))
        )

    @admin.display(description="Action", ordering="number")
    def code(self, action):
        return action.code

    @admin.display(description="What will be done", ordering="text")
    def short_text(self, action):
        return action.text[:100]

    @admin.display(description="Owners")
    def owner_list(self, action):
        return "; ".join(owner.role.title for owner in action.action_owners.all())

    def save_formset(self, request, form, formset, change):
        if formset.model is Rating:
            ratings = formset.save(commit=False)
            for rating in formset.deleted_objects:
                rating.delete()
            record_who_rated(request, ratings)
            formset.save_m2m()
        else:
            super().save_formset(request, form, formset, change)


@admin.register(Rating)
class RatingAdmin(SimpleHistoryAdmin):
    form = RatingAdminForm
    list_display = ["action", "month", "rating", "source", "recorded_by", "recorded_at"]
    list_filter = [
        "rating",
        "source",
        ("action__required_outcome__weakness", admin.RelatedOnlyFieldListFilter),
        "month",
    ]
    search_fields = ["commentary", "evidence", "action__text"]
    date_hierarchy = "month"
    list_select_related = ["action__required_outcome__weakness", "recorded_by"]
    autocomplete_fields = ["action"]
    readonly_fields = [
        "source",
        "source_reference",
        "recorded_by",
        "recorded_at",
        "version",
        "approval_status",
        "accepted_rating",
        "board_rating",
        "board_note",
        "return_reason",
        "decided_by",
        "decided_at",
    ]

    def save_model(self, request, obj, form, change):
        record_who_rated(request, [obj])


class FrameworkMeasureInline(admin.TabularInline):
    model = FrameworkMeasure
    extra = 0


@admin.register(PerformanceGroup)
class PerformanceGroupAdmin(SimpleHistoryAdmin):
    list_display = ["name", "position", "plan"]
    ordering = ["plan", "position"]
    inlines = [FrameworkMeasureInline]


class MeasureTargetInline(admin.TabularInline):
    model = MeasureTarget
    extra = 0


class MeasureFigureAdminForm(forms.ModelForm):
    """A figure added or changed here becomes the administrator's, so its period must end
    on a month's last day (the database checks it too); an unchanged figure of the record
    keeps the day its document gives."""

    def clean_period_end(self):
        period_end = self.cleaned_data["period_end"]
        if self.has_changed():
            validate_period_end(period_end)
        return period_end


class MeasureFigureInline(admin.TabularInline):
    model = MeasureFigure
    form = MeasureFigureAdminForm
    extra = 0
    fields = ["period_end", "label", "value", "source", "note", "recorded_by", "recorded_at"]
    readonly_fields = ["recorded_by", "recorded_at"]


@admin.register(Measure)
class MeasureAdmin(SimpleHistoryAdmin):
    list_display = ["name", "unit", "better", "group", "plan"]
    list_filter = ["unit", "better", "plan"]
    search_fields = ["name", "slug"]
    autocomplete_fields = ["actions", "findings"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MeasureTargetInline, MeasureFigureInline]

    def save_formset(self, request, form, formset, change):
        if formset.model is MeasureFigure:
            figures = formset.save(commit=False)
            for figure in formset.deleted_objects:
                figure.delete()
            for figure in figures:
                figure_save_in_admin(figure=figure, user=request.user)
        else:
            super().save_formset(request, form, formset, change)


@admin.register(Approver)
class ApproverAdmin(SimpleHistoryAdmin):
    """Who approves or returns officers' updates: the chair (no finding) every weakness's.
    Administrators read this list; only a superuser changes it (actions.permissions)."""

    list_display = ["user", "finding"]
    list_select_related = ["user", "finding"]
    autocomplete_fields = ["finding"]

    def has_add_permission(self, request):
        return permissions.may_name_approvers(request.user)

    def has_change_permission(self, request, obj=None):
        return permissions.may_name_approvers(request.user)

    def has_delete_permission(self, request, obj=None):
        return permissions.may_name_approvers(request.user)


@admin.register(PublicSummary)
class PublicSummaryAdmin(SimpleHistoryAdmin):
    """Read only: only a reviewer of the finding publishes, from the finding's page, so that
    only reviewer-approved text reaches the public page."""

    list_display = ["finding", "published_by", "published_at"]
    list_select_related = ["finding", "published_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # what families were told is kept


from .api import admin as api_admin  # noqa: E402,F401  (the API tokens' screen)
from .notify import admin as notify_admin  # noqa: E402,F401  (the outbox's screen)
