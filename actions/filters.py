"""One FilterSet per list: the actions list's owner filter, and the progress grid's
filters (kept in the URL so a filtered grid can be shared), with `grid_actions()`, the
one way the grid page, its CSV and XLSX and the board pack read a filtered plan: the same
"as at" (rules.as_at), and a filter value or parameter it does not know refused, never
ignored."""

import django_filters
from django import forms
from django.core.exceptions import ValidationError

from reviews.models import Organisation
from weaknesses.models import Finding

from .models import Action, OwnerRole, RatingColour
from .reports.grid import ratings_as_at
from .rules import as_at as as_at_rule
from .rules.shown import NOT_RATED
from .widgets import FastSelect

# Parameters the page reads besides the filters: the plan, and the page's window of
# quarters (the files carry every quarter).
PAGE_PARAMETERS = frozenset({"plan", "area", "quarters"})


class AsAtField(forms.CharField):
    """The "as at" box: a past day (or a page's moment), read by rules.as_at."""

    def clean(self, value):
        value = super().clean(value)
        try:
            return as_at_rule.parse(value)
        except as_at_rule.AsAtRefused as refused:
            raise ValidationError(str(refused), code="as_at") from refused


class AsAtFilter(django_filters.Filter):
    field_class = AsAtField


class ActionFilter(django_filters.FilterSet):
    owner = django_filters.ModelChoiceFilter(
        field_name="owners",
        queryset=OwnerRole.objects.filter(actions__isnull=False).distinct().order_by("title"),
        label="Owner role",
        widget=FastSelect,
        empty_label="All owner roles",
    )

    class Meta:
        model = Action
        fields = ["owner"]

    def __init__(self, *args, area, **kwargs):
        super().__init__(*args, **kwargs)
        # The area's owner roles only (none without an area: the list is empty).
        roles = OwnerRole.objects.filter(area=area) if area else OwnerRole.objects.none()
        self.form.fields["owner"].queryset = (
            roles.filter(actions__isnull=False).distinct().order_by("title")
        )
        self.form.fields["owner"].widget.attrs["class"] = "govuk-select"


class GridFilter(django_filters.FilterSet):
    """The progress grid's filters, kept in the URL so a filtered grid can be shared."""

    weakness = django_filters.ModelChoiceFilter(
        field_name="required_outcome__weakness",
        queryset=Finding.objects.significant_weaknesses(),
        label="Weakness",
        widget=FastSelect,
        empty_label="All weaknesses",
        error_messages={"invalid_choice": "Choose a weakness of this plan from the list"},
    )
    owner = django_filters.ModelChoiceFilter(
        field_name="owners",
        queryset=OwnerRole.objects.filter(actions__isnull=False).distinct().order_by("title"),
        label="Owner role",
        widget=FastSelect,
        empty_label="All owner roles",
        distinct=True,
        error_messages={"invalid_choice": "Choose an owner role from the list"},
    )
    organisation = django_filters.ModelChoiceFilter(
        field_name="owners__organisation",
        queryset=Organisation.objects.all(),
        label="Organisation",
        widget=FastSelect,
        empty_label="All organisations",
        distinct=True,
        error_messages={
            "invalid_choice": "Choose an organisation in the partnership at the “as at” date"
        },
    )
    latest_rating = django_filters.ChoiceFilter(
        choices=[*RatingColour.choices, (NOT_RATED, "Not rated")],
        method="filter_latest_rating",
        label="Latest rating",
        widget=FastSelect,
        empty_label="Any rating",
        error_messages={"invalid_choice": "Choose a rating from the list"},
    )
    overdue = django_filters.BooleanFilter(
        method="filter_overdue", label="Overdue only", widget=forms.CheckboxInput
    )
    not_updated = django_filters.BooleanFilter(
        method="filter_not_updated", label="Not updated this month only", widget=forms.CheckboxInput
    )
    as_at = AsAtFilter(
        method="keep",
        label="As at",
        help_text=as_at_rule.HINT,
        required=False,
        max_length=40,
    )

    class Meta:
        model = Action
        fields = []

    def __init__(self, *args, plan=None, **kwargs):
        super().__init__(*args, **kwargs)
        try:  # only the organisations in the partnership then are offered
            day = as_at_rule.parse((self.data or {}).get("as_at")).day
        except as_at_rule.AsAtRefused:
            day = None
        organisations = Organisation.objects.all()
        if day is not None:
            organisations = organisations.in_force_on(day)
        if plan is not None:  # the plan's area's organisations and owner roles only
            organisations = organisations.filter(area_id=plan.area_id)
            self.form.fields["owner"].queryset = (
                OwnerRole.objects.filter(actions__required_outcome__plan=plan)
                .distinct()
                .order_by("title")
            )
        self.form.fields["organisation"].queryset = organisations
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
        return queryset.overdue(self.view_as_at.day) if value else queryset

    def filter_not_updated(self, queryset, name, value):
        month = self.view_as_at.day.replace(day=1)
        return queryset.not_rated_in(month) if value else queryset

    @property
    def view_as_at(self):
        """The view's AsAt: the cleaned one, or now."""
        cleaned = getattr(self.form, "cleaned_data", {}) or {}
        return cleaned.get("as_at") or as_at_rule.AsAt.now()

    def keep(self, queryset, name, value):
        return queryset  # the view builds the grid as at this date


def grid_actions(query, plan):
    """(filter, actions, as_at): the plan's actions in plan order through the grid's
    filters in `query`, and the view's AsAt (rules.as_at; now when none is asked). A
    parameter it does not know, or a value it refuses, is an error on the filter's form
    (`filter.form.errors`), and then there are no actions: nothing is shown or written
    that the request did not ask for."""
    actions = Action.objects.filter(required_outcome__plan=plan).in_plan_order()
    grid_filter = GridFilter(query or None, queryset=actions, plan=plan)
    as_at = as_at_rule.AsAt.now()
    if grid_filter.is_bound:
        valid = grid_filter.is_valid()
        unknown = sorted(set(query) - set(GridFilter.base_filters) - PAGE_PARAMETERS)
        if unknown:
            grid_filter.form.add_error(None, f"“{unknown[0]}” is not a filter of the progress grid")
            valid = False
        as_at = grid_filter.view_as_at
        describe_fields(grid_filter.form)
        if not valid:
            return grid_filter, actions.none(), as_at
    return grid_filter, grid_filter.qs, as_at


def describe_fields(form):
    """Each box names its hint and its error (the ids the grid's template gives them), so
    that screen readers announce both."""
    for name in form.fields:
        bound = form[name]
        described = [f"{bound.id_for_label}-hint"] if bound.help_text else []
        if name in form.errors:
            described.append(f"{bound.id_for_label}-error")
            form.fields[name].widget.attrs["aria-invalid"] = "true"
            css = form.fields[name].widget.attrs.get("class", "")
            if "govuk-input" in css.split():
                form.fields[name].widget.attrs["class"] = css + " govuk-input--error"
            elif "govuk-select" in css.split():
                form.fields[name].widget.attrs["class"] = css + " govuk-select--error"
        if described:
            form.fields[name].widget.attrs["aria-describedby"] = " ".join(described)


def filter_words(grid_filter):
    """The view's filters in words, for the files and the page: [(label, value)]."""
    form = grid_filter.form
    if not grid_filter.is_bound or not hasattr(form, "cleaned_data"):
        return []
    words = []
    for name, value in form.cleaned_data.items():
        if name == "as_at" or value in (None, "", False):
            continue
        field = form.fields[name]
        if isinstance(value, bool):
            shown = "Yes"
        elif hasattr(field, "choices") and not hasattr(value, "pk"):
            shown = dict(field.choices).get(value, value)
        else:
            shown = str(value)
        words.append((field.label, shown))
    return words
