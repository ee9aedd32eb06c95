"""Measures of success: the on-track rule, figures officers add, and the charts."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from actions.models import Better, MeasureFigure, MeasureUnit
from actions.reports.charts import line_chart
from tests.factories import (
    MeasureFactory,
    MeasureFigureFactory,
    MeasureTargetFactory,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "better, actual, target, on_track",
    [
        (Better.HIGHER, 50, 50, True),
        (Better.HIGHER, 49, 50, False),
        (Better.HIGHER, 80, 50, True),
        (Better.LOWER, 2000, 2034, True),
        (Better.LOWER, 2034, 2034, True),
        (Better.LOWER, 2100, 2034, False),
        (Better.HIGHER, None, 50, None),
        (Better.LOWER, 2000, None, None),
    ],
)
def test_the_on_track_rule_in_both_directions_and_without_numbers(better, actual, target, on_track):
    measure = MeasureFactory.build(better=better)
    assert measure.is_on_track(actual, target) is on_track


def test_a_figure_is_judged_against_the_latest_target_on_or_before_its_period():
    measure = MeasureFactory()
    MeasureTargetFactory(measure=measure, period_end=datetime.date(2018, 6, 30), value=50)
    MeasureTargetFactory(
        measure=measure, period_end=datetime.date(2018, 9, 30), value=60, label="September 2018"
    )
    MeasureFigureFactory(
        measure=measure, period_end=datetime.date(2018, 8, 31), value=55, label="August 2018"
    )
    rows = {p.label: (p.target, p.actual, p.on_track) for p in measure.progress()}
    assert rows == {
        "June 2018": (Decimal("50"), None, None),
        "August 2018": (Decimal("50"), Decimal("55"), True),
        "September 2018": (Decimal("60"), None, None),
    }


def test_the_chart_plots_every_value_and_the_table_matches(client, board_member):
    measure = MeasureFactory()
    for month, value in ((6, 50), (9, 60), (12, 70)):
        day = datetime.date(2018, month, 30 if month in (6, 9) else 31)
        MeasureTargetFactory(measure=measure, period_end=day, value=value, label=f"{day:%B %Y}")
    MeasureFigureFactory(
        measure=measure,
        period_end=datetime.date(2018, 9, 30),
        value=Decimal("41.5"),
        label="September 2018",
    )
    svg = str(line_chart(measure, measure.progress()))
    assert svg.startswith("<svg") and 'role="img"' in svg and "<title>" in svg
    for label in ("50%", "60%", "70%", "41.5%"):
        assert f">{label}</text>" in svg
    assert svg.count("<rect ") == 3 and svg.count("<circle ") == 1
    client.force_login(board_member)
    page = client.get(measure.get_absolute_url()).content.decode()
    table = page[page.index("<table") : page.index("</table>")]
    cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", table)
    assert "September 2018" in cells and "41.5%" in cells and "60%" in cells
    assert "Off track" in table


def figure_url(measure):
    return reverse("actions:figure-create", args=[measure.slug])


@pytest.fixture
def measure(owned_action):
    measure = MeasureFactory(plan=owned_action.required_outcome.plan)
    measure.actions.add(owned_action)
    return measure


@pytest.mark.parametrize(
    "unit, data, field, message",
    [
        (MeasureUnit.PERCENT, {"value": "101"}, "value", "Enter a percentage between 0 and 100"),
        (MeasureUnit.PERCENT, {"value": "-1"}, "value", "The figure cannot be negative"),
        (MeasureUnit.DAYS, {"value": "-5"}, "value", "The figure cannot be negative"),
        (MeasureUnit.DAYS, {"value": "10.5"}, "value", "Enter a whole number of days"),
        (MeasureUnit.COUNT, {"value": "many"}, "value", "Enter the figure as a number"),
        (MeasureUnit.PERCENT, {"value": ""}, "value", "Enter the figure"),
        (
            MeasureUnit.PERCENT,
            {"period_end": "31/02/2019"},
            "period_end",
            "Enter a real date, for example 30/06/2018",
        ),
        (
            MeasureUnit.PERCENT,
            {"period_end": "31/01/2018"},
            "period_end",
            "The period must end in March 2018 or later",
        ),
        (
            MeasureUnit.PERCENT,
            {"period_end": "31/12/2999"},
            "period_end",
            "The period cannot end after this month",
        ),
        (MeasureUnit.PERCENT, {"source": ""}, "source", "Enter where the figure comes from"),
    ],
)
def test_bad_figures_are_refused_with_the_error_shown_and_nothing_stored(
    client, officer, measure, unit, data, field, message
):
    measure.unit = unit
    measure.save()
    client.force_login(officer)
    good = {"period_end": "30/06/2018", "value": "45", "source": "EHCP dashboard", "note": ""}
    response = client.post(figure_url(measure), {**good, **data})
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count(message) == 2, page[:3000]
    assert f'href="#id_{field}"' in page
    assert not MeasureFigure.objects.exists()


def test_an_officer_of_an_owning_role_adds_a_figure(client, officer, measure):
    client.force_login(officer)
    response = client.post(
        figure_url(measure),
        {"period_end": "30/06/2018", "value": "45", "source": "EHCP dashboard", "note": "Zoë"},
    )
    assert response.status_code == 302
    figure = MeasureFigure.objects.get()
    assert (figure.value, figure.label, figure.recorded_by) == (Decimal("45"), "June 2018", officer)
    assert figure.history.count() == 1


@pytest.mark.parametrize(
    "role, status", [("other_officer", 403), ("board_member", 403), ("administrator", 302)]
)
def test_who_may_add_a_figure(request, client, measure, role, status):
    client.force_login(request.getfixturevalue(role))
    response = client.post(
        figure_url(measure),
        {"period_end": "30/06/2018", "value": "45", "source": "EHCP dashboard"},
    )
    assert response.status_code == status
    assert MeasureFigure.objects.count() == (1 if status == 302 else 0)
