"""One FilterSet per list: the actions list's owner filter, and the progress grid's
filters (kept in the URL so a filtered grid can be shared), with `grid_actions()`, the
one way the grid page, its CSV and XLSX and the board pack read a filtered plan."""

import django_filters
from django import forms
from django.utils import timezone

from reviews.models import Organisation
from weaknesses.models import Finding

from .models import Action, OwnerRole, RatingColour
from .reports.grid import ratings_as_at
from .rules.shown import NOT_RATED


class ActionFilter(django_filters.FilterSet):
    owner = django_filters.ModelChoiceFilter(
        field_name="owners",
        queryset=OwnerRole.objects.filter(actions__isnull=False).distinct().order_by("title"),
        label="Owner role",
        empty_label="All owner roles",
    )

    class Meta:
        model = Action
        fields = ["owner"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.fields["owner"].widget.attrs["class"] = "govuk-select"


class GridFilter(django_filters.FilterSet):
    """The progress grid's filters, kept in the URL so a filtered grid can be shared."""

    weakness = django_filters.ModelChoiceFilter(
        field_name="required_outcome__weakness",
        queryset=Finding.objects.significant_weaknesses(),
        label="Weakness",
        empty_label="All weaknesses",
    )
    owner = django_filters.ModelChoiceFilter(
        field_name="owners",
        queryset=OwnerRole.objects.filter(actions__isnull=False).distinct().order_by("title"),
        label="Owner role",
        empty_label="All owner roles",
        distinct=True,
    )
    organisation = django_filters.ModelChoiceFilter(
        field_name="owners__organisation",
        queryset=Organisation.objects.all(),
        label="Organisation",
        empty_label="All organisations",
        distinct=True,
    )
    latest_rating = django_filters.ChoiceFilter(
        choices=[*RatingColour.choices, (NOT_RATED, "Not rated")],
        method="filter_latest_rating",
        label="Latest rating",
        empty_label="Any rating",
    )
    overdue = django_filters.BooleanFilter(
        method="filter_overdue", label="Overdue only", widget=forms.CheckboxInput
    )
    not_updated = django_filters.BooleanFilter(
        method="filter_not_updated", label="Not updated this month only", widget=forms.CheckboxInput
    )
    as_at = django_filters.DateFilter(
        method="keep",
        label="As at",
        help_text="The grid as it stood at the end of this day, for example 31/03/2018.",
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        error_messages={"invalid": "Enter the date as day/month/year, for example 31/03/2018"},
    )

    class Meta:
        model = Action
        fields = []

    def __init__(self, *args, plan=None, **kwargs):
        super().__init__(*args, **kwargs)
        if plan is not None:  # the weaknesses the plan answers, not only the WSOA's
            self.form.fields["weakness"].queryset = plan.findings.order_by(
                "review__start_date", "position"
            )
        for name, form_field in self.form.fields.items():
            css = {"as_at": "govuk-input govuk-input--width-10"}.get(name, "govuk-select")
            if isinstance(form_field.widget, forms.CheckboxInput):
                css = "govuk-checkboxes__input"
            form_field.widget.attrs["class"] = css

    def filter_latest_rating(self, queryset, name, value):
        """The rating the grid's latest rated cell shows (rules.shown), now or as at the
        grid's date: an update awaiting approval is not rated until it is accepted."""
        as_at = self.form.cleaned_data.get("as_at")
        queryset = queryset.with_latest_shown(ratings_as_at(as_at))
        if value == NOT_RATED:
            return queryset.filter(latest_shown__isnull=True)
        return queryset.filter(latest_shown=value)

    def filter_overdue(self, queryset, name, value):
        return queryset.overdue(timezone.localdate()) if value else queryset

    def filter_not_updated(self, queryset, name, value):
        month = timezone.localdate().replace(day=1)
        return queryset.not_rated_in(month) if value else queryset

    def keep(self, queryset, name, value):
        return queryset  # the view builds the grid as at this date


def grid_actions(query, plan):
    """(filter, actions, as_at): the plan's actions in plan order through the grid's
    filters in `query`, and the "as at" date if one is given."""
    actions = (
        Action.objects.filter(required_outcome__plan=plan)
        .in_plan_order()
        .prefetch_related("measures__targets", "measures__figures")
    )
    grid_filter = GridFilter(query or None, queryset=actions, plan=plan)
    as_at = None
    if grid_filter.is_bound:
        grid_filter.is_valid()
        as_at = grid_filter.form.cleaned_data.get("as_at")
    return grid_filter, grid_filter.qs, as_at
