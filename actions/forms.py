"""The GOV.UK forms: a month's update, a measure's figure, an approver's decision, and a
summary for families. Each form's crispy layout lives in its class."""

import datetime

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout, Size
from django import forms
from django.utils import timezone

from .models import (
    MeasureFigure,
    PublicSummary,
    Rating,
    RatingSource,
)
from .rules import plan_life, rating_key
from .rules.periods import validate_period_end
from .rules.text import TypedTextField

RATING_CHOICES = [(entry.value, f"{entry.word} – {entry.meaning}") for entry in rating_key.KEY]


def month_value(month):
    return f"{month:%Y-%m}"


class RatingForm(forms.ModelForm):
    """A month's rating for one action. Without an instance it records a new month,
    offering only the months that can still be rated (rules.plan_life); with one it
    corrects that month and asks why. Refused for a plan that takes no updates."""

    month = forms.CharField(
        label="Month",
        help_text="The month this update is for.",
        widget=forms.Select,
        error_messages={"required": "Select the month this update is for"},
    )
    reason = TypedTextField(
        name="The reason",
        label="Why are you correcting this rating?",
        help_text="The reason is kept in the action's history.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        error_messages={
            "required": "Enter the reason for the correction",
            "max_length": "The reason must be 1,000 characters or fewer",
        },
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Rating
        fields = ["rating", "commentary", "evidence", "evidence_links", "wider_system"]
        field_classes = dict.fromkeys(fields[1:], TypedTextField)  # rules.text
        labels = {
            "wider_system": "For Grey: the wider system addressing it",
            "rating": "Rating",
            "commentary": "Commentary",
            "evidence": "Evidence",
            "evidence_links": "Evidence links (optional)",
        }
        help_texts = {
            "commentary": "Required for Red and Amber, and when the rating changes.",
            "evidence": "What shows where the action stands. Required for Green.",
            "evidence_links": "One web address a line, starting with https:// or http://.",
            "wider_system": (
                "Which wider or alternative system is addressing the action, for example "
                "the SEND strategy board's work on sufficiency."
            ),
        }
        widgets = {
            "rating": forms.RadioSelect(choices=RATING_CHOICES),
            "commentary": forms.Textarea(attrs={"rows": 6}),
            "evidence": forms.Textarea(attrs={"rows": 4}),
            "evidence_links": forms.Textarea(attrs={"rows": 3}),
            "wider_system": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {
            "rating": {"required": "Select a rating", "invalid_choice": "Select a rating"},
            "commentary": {"max_length": "Commentary must be 5,000 characters or fewer"},
            "evidence": {"max_length": "Evidence must be 5,000 characters or fewer"},
            "evidence_links": {"max_length": "Evidence links must be 5,000 characters or fewer"},
            "wider_system": {"max_length": "This must be 2,000 characters or fewer"},
        }

    def __init__(self, *args, action, **kwargs):
        super().__init__(*args, **kwargs)
        self.action = self.instance.action = action
        self.fields["rating"].choices = RATING_CHOICES
        self.correcting = self.instance.pk is not None
        self.plan = action.required_outcome.plan
        self.today = timezone.localdate()
        if self.correcting:
            del self.fields["month"]
            self.initial.setdefault("version", self.instance.version)
            # A correction is the user's, even of a rating printed in the published WSOA
            # (rating_correct records it so): the form checks it against the officers'
            # rules (Rating.clean) as the service will, rather than as printed.
            self.instance.source = RatingSource.USER
        else:
            del self.fields["reason"]
            rated = Rating.objects.filter(action=action).values_list("month", flat=True)
            months = plan_life.months_that_can_be_rated(self.plan, self.today, rated)
            self.fields["month"].widget.choices = [(month_value(m), f"{m:%B %Y}") for m in months]
            self.initial.setdefault("month", month_value(months[0]) if months else "")
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}
        self.helper.layout = Layout(
            *([] if self.correcting else [Field.select("month")]),
            Field.radios("rating", legend_size=Size.MEDIUM, legend_tag="h2"),
            Field.textarea("commentary"),
            Field.textarea("evidence"),
            Field.textarea("evidence_links"),
            Field.textarea("wider_system"),
            *([Field.textarea("reason")] if self.correcting else []),
            "version",
            Button("save", "Save update"),
        )

    def clean_month(self):
        value = self.cleaned_data["month"]
        try:
            month = datetime.datetime.strptime(value, "%Y-%m").date()
        except ValueError:
            raise forms.ValidationError("Select the month this update is for") from None
        if Rating.objects.filter(action=self.action, month=month).exists():
            raise forms.ValidationError(
                f"{month:%B %Y} already has a rating: correct it from the action's page"
            )
        self.instance.month = month
        return month

    def clean(self):
        refusal = plan_life.refusal(self.plan, self.today)
        if refusal:
            raise forms.ValidationError(refusal, code="plan_not_live")
        return super().clean()

    def values(self):
        return {name: self.cleaned_data[name] for name in self._meta.fields}


def show_refusal(form, error):
    """Put a service's ValidationError on the form that asked for the write, so that the
    user sees the form again with their text: each message by its field, and any other (a
    field the form does not show, or the whole row's) at the top of the error summary."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


class FigureForm(forms.ModelForm):
    """An actual figure for one of a measure's periods."""

    period_end = forms.DateField(
        label="Last day of the period",
        help_text=(
            "For example 30/06/2018 for June 2018, or 31/08/2018 for the 2017-18 school year."
        ),
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        validators=[validate_period_end],
        error_messages={
            "required": "Enter the last day of the period",
            "invalid": "Enter a real date, for example 30/06/2018",
        },
    )

    class Meta:
        model = MeasureFigure
        fields = ["period_end", "value", "source", "note"]
        field_classes = dict.fromkeys(["source", "note"], TypedTextField)  # rules.text
        labels = {"value": "Figure", "source": "Source", "note": "Note (optional)"}
        help_texts = {
            "source": "Where the figure comes from, for example the monthly EHCP dashboard.",
            "note": "Anything the board should know when reading it.",
        }
        widgets = {"source": forms.TextInput, "note": forms.Textarea(attrs={"rows": 3})}
        error_messages = {
            "value": {"required": "Enter the figure", "invalid": "Enter the figure as a number"},
            "source": {"required": "Enter where the figure comes from"},
            "note": {"max_length": "The note must be 2,000 characters or fewer"},
        }

    def __init__(self, *args, measure, **kwargs):
        super().__init__(*args, **kwargs)
        self.measure = self.instance.measure = measure
        self.fields["value"].label = f"Figure ({measure.get_unit_display()})"
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}
        self.helper.layout = Layout(
            Field.text("period_end", field_width=10),
            Field.text("value", field_width=5),
            Field.text("source"),
            Field.textarea("note"),
            Button("save", "Save figure"),
        )

    def clean_period_end(self):
        period_end = self.cleaned_data["period_end"]
        if MeasureFigure.objects.filter(measure=self.measure, period_end=period_end).exists():
            raise forms.ValidationError(
                f"A figure for the period ending {period_end:%d/%m/%Y} is already recorded"
            )
        self.instance.label = f"{period_end:%B %Y}"
        return period_end


DECISIONS = [
    ("accept", "Accept the update"),
    ("return", "Return it to the officer with a reason"),
]


class ApprovalForm(forms.Form):
    """A reviewer's decision on an update awaiting approval."""

    decision = forms.ChoiceField(
        label="Your decision",
        choices=DECISIONS,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select whether to accept or return the update",
            "invalid_choice": "Select whether to accept or return the update",
        },
    )
    return_reason = TypedTextField(
        name="Return reason",
        label="If you return it: why",
        help_text="The officer sees this on their actions and the action's page.",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=1000,
        error_messages={"max_length": "The reason must be 1,000 characters or fewer"},
    )
    board_rating = forms.ChoiceField(
        label="If you accept it: the board's own rating",
        help_text="Only where the board rates the action differently from the officer.",
        choices=[("", "The same as the officer's"), *RATING_CHOICES],
        widget=forms.RadioSelect,
        required=False,
        error_messages={"invalid_choice": "Select the board's rating from the list"},
    )
    board_note = TypedTextField(
        name="Board note",
        label="Note for the board (optional)",
        help_text="For example, why the board rates it differently.",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=1000,
        error_messages={"max_length": "The note must be 1,000 characters or fewer"},
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, rating, **kwargs):
        super().__init__(*args, **kwargs)
        self.rating = rating
        self.initial.setdefault("version", rating.version)
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}
        self.helper.layout = Layout(
            Field.radios("decision", legend_size=Size.MEDIUM, legend_tag="h2"),
            Field.textarea("return_reason"),
            Field.radios("board_rating", legend_size=Size.SMALL),
            Field.textarea("board_note"),
            "version",
            Button("save", "Save decision"),
        )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "return" and not data.get("return_reason", "").strip():
            self.add_error("return_reason", "Enter why you are returning the update")
        return data


class PublicSummaryForm(forms.ModelForm):
    """Text a reviewer approves for the public progress page."""

    class Meta:
        model = PublicSummary
        fields = ["plain_english", "being_done", "you_said_we_did"]
        field_classes = dict.fromkeys(fields, TypedTextField)  # rules.text
        labels = {
            "plain_english": "What the inspectors found, in plain English",
            "being_done": "What is being done",
            "you_said_we_did": "Latest progress: you said, we did",
        }
        help_texts = {
            "plain_english": "Short sentences a parent can read on a phone. No names.",
            "being_done": "The main things the partnership is doing. No names of officers.",
            "you_said_we_did": "What families told us and what has changed since.",
        }
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in fields}
        error_messages = {
            "plain_english": {
                "required": "Enter what the inspectors found, in plain English",
                "max_length": "This must be 1,000 characters or fewer",
            },
            "being_done": {
                "required": "Enter what is being done",
                "max_length": "This must be 2,000 characters or fewer",
            },
            "you_said_we_did": {
                "required": "Enter the latest progress",
                "max_length": "This must be 2,000 characters or fewer",
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}
        self.helper.layout = Layout(
            Field.textarea("plain_english"),
            Field.textarea("being_done"),
            Field.textarea("you_said_we_did"),
            Button("save", "Publish"),
        )
