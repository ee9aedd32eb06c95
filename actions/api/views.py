"""The API's endpoints: read-only lists in a stable order (by plan order, then primary key),
a plan, and its grid's cells as at a date, built by reports.grid (rows_of) over the
quarters of rules.periods and the "as at" of rules.as_at. GET, HEAD and OPTIONS only."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from actions import areas
from actions.models import Action, ActionOwner, Measure, Plan, RequiredOutcome
from actions.reports.grid import ratings_as_at, rows_of
from actions.rules import as_at as as_at_rule
from actions.rules.periods import quarters
from actions.rules.shown import NOT_RATED
from weaknesses.models import Finding, Verdict

from . import serializers


class Pages(PageNumberPagination):
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 500


class ReadOnly(generics.GenericAPIView):
    pagination_class = Pages


class OneArea(ReadOnly):
    """A list of one area's rows (actions.areas): `?area=<slug>` among the person's areas,
    else their first; `area_path` is the lookup from the row to its area."""

    area_path = "area"

    def get_queryset(self):
        area = areas.asked(self.request)
        return super().get_queryset().filter(**{self.area_path: area})


AREA = OpenApiParameter(
    "area",
    str,
    description="The area's code; the first of the token's person's areas if absent. An "
    "area the person may not see is a 404.",
)


@extend_schema(parameters=[AREA])
class PlanList(OneArea, generics.ListAPIView):
    """Every plan of the area, oldest first."""

    serializer_class = serializers.PlanSerializer
    queryset = Plan.objects.select_related("life", "area").order_by("first_quarter_end", "pk")


class PlanDetail(ReadOnly, generics.RetrieveAPIView):
    serializer_class = serializers.PlanSerializer
    queryset = Plan.objects.select_related("life", "area")
    lookup_field = "slug"
    lookup_url_kwarg = "plan"

    def get_queryset(self):
        return super().get_queryset().filter(area__in=areas.areas_of(self.request.user))


@extend_schema(parameters=[AREA])
class FindingList(OneArea, generics.ListAPIView):
    """Every finding of the area of a review begun by today, in the inspectors' words, with
    the verdicts issued on it, in review then document order."""

    serializer_class = serializers.FindingSerializer

    def get_queryset(self):
        area = areas.asked(self.request)
        today = timezone.localdate()
        verdicts = (
            Verdict.objects.issued_by(today)
            .select_related("review")
            .order_by("review__start_date", "pk")
        )
        return (
            Finding.objects.filter(review__start_date__lte=today, review__area=area)
            .select_related("review")
            .prefetch_related(Prefetch("verdicts", verdicts, to_attr="issued_verdicts"))
            .order_by("review__start_date", "position", "pk")
        )


@extend_schema(parameters=[AREA])
class RequiredOutcomeList(OneArea, generics.ListAPIView):
    serializer_class = serializers.RequiredOutcomeSerializer
    area_path = "plan__area"
    queryset = RequiredOutcome.objects.select_related("plan", "weakness").order_by(
        "plan__first_quarter_end", "weakness__position", "number", "pk"
    )


PLAN_ORDER = (
    "required_outcome__plan__first_quarter_end",
    "required_outcome__weakness__position",
    "required_outcome__number",
    "number",
    "pk",
)


@extend_schema(parameters=[AREA])
class ActionList(OneArea, generics.ListAPIView):
    """Every action of the area in plan order, with the roles that own it (roles, not
    people)."""

    serializer_class = serializers.ActionSerializer
    area_path = "required_outcome__plan__area"
    queryset = (
        Action.objects.in_plan_order()
        .order_by(*PLAN_ORDER)
        .prefetch_related(
            Prefetch("action_owners", ActionOwner.objects.select_related("role__organisation"))
        )
    )


@extend_schema(parameters=[AREA])
class MeasureList(OneArea, generics.ListAPIView):
    """Every measure of the area with its baseline, targets and figures."""

    serializer_class = serializers.MeasureSerializer
    area_path = "plan__area"
    queryset = (
        Measure.objects.select_related("plan")
        .prefetch_related("targets", "figures")
        .order_by("plan__first_quarter_end", "pk")
    )


AS_AT = OpenApiParameter(
    "as_at",
    str,
    description="YYYY-MM-DD (the end of that day) or YYYY-MM-DDTHH:MM:SS; now if absent. "
    "A future or impossible date is a 400.",
)


class PlanGrid(APIView):
    """The plan's progress grid as at a moment: one row per action in plan order, one cell
    per quarter, the same cells as the grid page, its CSV and the board pack."""

    pagination_class = Pages

    @extend_schema(parameters=[AS_AT], responses=serializers.GridPageSerializer)
    def get(self, request, plan):
        plan = get_object_or_404(
            Plan.objects.filter(area__in=areas.areas_of(request.user)), slug=plan
        )
        try:
            as_at = as_at_rule.parse(request.query_params.get("as_at"))
        except as_at_rule.AsAtRefused as refused:
            raise ValidationError({"as_at": [str(refused)]}) from refused
        ratings = ratings_as_at(as_at)
        columns = quarters(plan, ratings)
        paginator = self.pagination_class()
        actions = Action.objects.filter(required_outcome__plan=plan).in_plan_order()
        page = paginator.paginate_queryset(actions.order_by(*PLAN_ORDER), request, view=self)
        rows = [
            {
                "action": row.action.pk,
                "code": row.action.code,
                "required_outcome_code": row.action.required_outcome.code,
                "cells": [
                    {
                        "quarter_end": quarter,
                        "rating": cell.rating or NOT_RATED,
                        "rating_word": cell.get_rating_display(),
                        "month": cell.month,
                        "officer_rating": cell.officer_rating,
                        "pending_rating": cell.pending_rating,
                    }
                    for quarter, cell in zip(columns, row.cells, strict=True)
                ],
            }
            for row in rows_of(page, ratings, columns)
        ]
        document = {
            "count": paginator.page.paginator.count,
            "next": paginator.get_next_link(),
            "previous": paginator.get_previous_link(),
            "plan": plan.slug,
            "as_at": as_at.query_value(),
            "as_at_words": as_at.words(),
            "quarters": columns,
            "results": rows,
        }
        return Response(serializers.GridPageSerializer(document).data)
