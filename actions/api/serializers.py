"""What each API endpoint returns, field by field: plans, findings with their verdicts,
required outcomes, actions with their owner roles, measures with targets and figures, and
the grid's cells. Never a password, a token, or the record's own source notes."""

from rest_framework import serializers

from actions.models import (
    Action,
    ActionOwner,
    Measure,
    MeasureFigure,
    MeasureTarget,
    Plan,
    RequiredOutcome,
)
from weaknesses.models import Finding, Verdict

NUMBER = {"max_digits": 10, "decimal_places": 2, "coerce_to_string": False, "read_only": True}


class PlanSerializer(serializers.ModelSerializer):
    area = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, help_text="The local area's code (?area= takes it)."
    )
    status = serializers.CharField(
        source="life.status", allow_null=True, read_only=True, help_text="draft, live or closed."
    )
    closed_on = serializers.DateField(source="life.closed_on", allow_null=True, read_only=True)
    superseded_by = serializers.CharField(
        source="life.superseded_by", allow_null=True, read_only=True
    )

    class Meta:
        model = Plan
        fields = [
            "slug",
            "area",
            "title",
            "short_name",
            "fit_for_purpose_on",
            "first_quarter_end",
            "last_quarter_end",
            "status",
            "closed_on",
            "superseded_by",
        ]


class VerdictSerializer(serializers.ModelSerializer):
    review = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    review_title = serializers.CharField(source="review.title", read_only=True)
    judgement_label = serializers.CharField(source="get_judgement_display", read_only=True)
    issued_on = serializers.DateField(
        source="review.judged_on", read_only=True, help_text="The day the verdict was issued."
    )

    class Meta:
        model = Verdict
        fields = ["review", "review_title", "judgement", "judgement_label", "issued_on", "summary"]


class FindingSerializer(serializers.ModelSerializer):
    review = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    review_title = serializers.CharField(source="review.title", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    found_on = serializers.DateField(source="review.start_date", read_only=True)
    verdicts = VerdictSerializer(many=True, read_only=True, source="issued_verdicts")

    class Meta:
        model = Finding
        fields = [
            "id",
            "review",
            "review_title",
            "code",
            "kind",
            "kind_label",
            "text",
            "found_on",
            "verdicts",
        ]


class RequiredOutcomeSerializer(serializers.ModelSerializer):
    plan = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    finding = serializers.PrimaryKeyRelatedField(source="weakness", read_only=True)
    finding_code = serializers.CharField(source="weakness.code", read_only=True)
    code = serializers.CharField(read_only=True)

    class Meta:
        model = RequiredOutcome
        fields = ["id", "plan", "finding", "finding_code", "code", "number", "title"]


class OwnerSerializer(serializers.ModelSerializer):
    role = serializers.CharField(source="role.title", read_only=True)
    organisation = serializers.CharField(
        source="role.organisation.short_name", allow_null=True, read_only=True
    )

    class Meta:
        model = ActionOwner
        fields = ["role", "organisation", "kind"]


class ActionSerializer(serializers.ModelSerializer):
    plan = serializers.CharField(source="required_outcome.plan.slug", read_only=True)
    required_outcome = serializers.PrimaryKeyRelatedField(read_only=True)
    required_outcome_code = serializers.CharField(source="required_outcome.code", read_only=True)
    code = serializers.CharField(read_only=True)
    owners = OwnerSerializer(many=True, read_only=True, source="action_owners")

    class Meta:
        model = Action
        fields = [
            "id",
            "plan",
            "required_outcome",
            "required_outcome_code",
            "code",
            "number",
            "text",
            "timescale",
            "due_date",
            "measures_of_success",
            "owners",
        ]


class TargetSerializer(serializers.ModelSerializer):
    value = serializers.DecimalField(**NUMBER)

    class Meta:
        model = MeasureTarget
        fields = ["period_end", "label", "value"]


class FigureSerializer(serializers.ModelSerializer):
    value = serializers.DecimalField(**NUMBER)

    class Meta:
        model = MeasureFigure
        fields = ["period_end", "label", "value"]


class MeasureSerializer(serializers.ModelSerializer):
    plan = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    baseline_value = serializers.DecimalField(allow_null=True, **NUMBER)
    targets = TargetSerializer(many=True, read_only=True)
    figures = FigureSerializer(many=True, read_only=True)

    class Meta:
        model = Measure
        fields = [
            "slug",
            "plan",
            "name",
            "unit",
            "better",
            "baseline_value",
            "baseline_period_end",
            "baseline_label",
            "targets",
            "figures",
        ]


class CellSerializer(serializers.Serializer):
    """One quarter of an action, as the grid shows it (reports.grid.Cell)."""

    quarter_end = serializers.DateField()
    rating = serializers.CharField(
        help_text="green, amber, red, grey or not_rated (never the same as grey)."
    )
    rating_word = serializers.CharField()
    month = serializers.DateField(
        allow_null=True, help_text="The first day of the month whose rating is shown."
    )
    officer_rating = serializers.CharField(
        help_text="The officer's accepted rating where the board's own differs; else empty."
    )
    pending_rating = serializers.CharField(
        help_text="An update awaiting approval in or after that month; else empty."
    )


class GridRowSerializer(serializers.Serializer):
    action = serializers.IntegerField()
    code = serializers.CharField()
    required_outcome_code = serializers.CharField()
    cells = CellSerializer(many=True)


class GridPageSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="Actions in the plan (rows over every page).")
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    plan = serializers.CharField()
    as_at = serializers.CharField(help_text="What the figures are as at (YYYY-MM-DD: its end).")
    as_at_words = serializers.CharField()
    quarters = serializers.ListField(child=serializers.DateField())
    results = GridRowSerializer(many=True)
