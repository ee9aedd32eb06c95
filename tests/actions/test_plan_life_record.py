"""The WSOA's life as loaded from the record (loaded once, again unchanged, never over an
administrator's reopening), "Green while a measure is off track" judged by the figures
known at the rating's month, and Needs attention: counts per sign, actions grouped by
weakness, a closed plan's note, and a fixed number of queries."""

import datetime
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from actions.models import Action, PlanLife
from actions.rules.warning_signs import warning_signs
from tests.factories import (
    ActionFactory,
    MeasureFactory,
    MeasureFigureFactory,
    MeasureTargetFactory,
    PlanLifeFactory,
    RatingFactory,
)
from tests.helpers import assert_queries_do_not_grow

pytestmark = pytest.mark.django_db


def load():
    out, err = StringIO(), StringIO()
    call_command("load_record", directory=str(settings.RECORD_DIR), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_loader_loads_the_wsoas_life_once():
    load()
    life = PlanLife.objects.get(plan__slug="wsoa-2018")
    assert (life.status, life.live_from, life.closed_on) == (
        "closed",
        datetime.date(2018, 3, 28),
        datetime.date(2019, 11, 20),
    )
    assert life.superseded_by.startswith("the Accelerated Progress Plan (APP)")
    assert "000_095888dd64470308.txt line 6" in life.basis
    out, _ = load()
    assert "Plans' lives: 1 unchanged" in out
    assert life.history.count() == 1


def test_the_loader_never_undoes_an_administrators_reopening():
    load()
    life = PlanLife.objects.get(plan__slug="wsoa-2018")
    life.status, life.closed_on = "live", None
    life._change_reason = "Reopened to record October 2019"
    life.save()
    out, err = load()
    assert "plan's life: edited since it was loaded" in err
    life.refresh_from_db()
    assert (life.status, life.closed_on) == ("live", None)


@pytest.mark.parametrize(
    "figure_end, raised",
    [
        (datetime.date(2018, 9, 30), True),  # known by the end of September: off track
        (datetime.date(2018, 10, 31), False),  # a later figure cannot judge September's Green
    ],
)
def test_green_while_off_track_reads_the_figures_known_at_the_ratings_month(figure_end, raised):
    action = ActionFactory()
    measure = MeasureFactory(plan=action.required_outcome.plan)
    measure.actions.add(action)
    MeasureTargetFactory(measure=measure, value=50, period_end=datetime.date(2018, 6, 30))
    MeasureFigureFactory(measure=measure, value=40, period_end=figure_end)
    RatingFactory(
        action=action, month=datetime.date(2018, 9, 1), rating="green", evidence="Minutes"
    )
    action = Action.objects.with_warning_data().get(pk=action.pk)
    found = [sign.key for sign in warning_signs(action, datetime.date(2018, 11, 14))]
    assert ("green_measure_off_track" in found) is raised


def unchanged_amber():
    action = ActionFactory()
    RatingFactory(action=action, month=datetime.date(2018, 3, 1), rating="amber", commentary="")
    return action


def test_needs_attention_counts_each_sign_and_groups_by_weakness(client, board_member):
    first, second = unchanged_amber(), unchanged_amber()
    client.force_login(board_member)
    response = client.get(reverse("actions:needs-attention"))
    page = response.content.decode()
    found = dict((sign.key, actions) for sign, actions in response.context["signs"])
    assert set(found["unchanged"]) == {first, second}
    assert page.count("<details") == 2  # one weakness each, collapsed
    assert f"{first.required_outcome.weakness.code}: 1 action, 1 sign" in page


def test_needs_attention_shows_a_closed_plan_as_a_record(client, board_member):
    action = unchanged_amber()
    PlanLifeFactory(plan=action.required_outcome.plan, closed=True)
    client.force_login(board_member)
    response = client.get(reverse("actions:needs-attention"))
    assert response.context["total"] == 0
    assert "Closed on 20 November 2019; superseded by" in response.content.decode()


def test_needs_attention_does_not_grow_its_queries_with_actions(client, board_member):
    def build(count):
        for _ in range(count):
            unchanged_amber()

    build(2)
    client.force_login(board_member)
    response = assert_queries_do_not_grow(
        client, reverse("actions:needs-attention"), lambda: build(20)
    )
    assert response.context["total"] == 22
