"""PlanLifeFactory: a plan's life (actions.PlanLife): live from 1 March 2018 by default;
traits `live`, `closed` (on 20 November 2019, superseded by the APP) and `draft`."""

import datetime

import factory

from actions.models import PlanLife
from actions.rules.plan_life import PlanStatus

CLOSED_ON = datetime.date(2019, 11, 20)


class PlanLifeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanLife
        django_get_or_create = ["plan"]

    plan = factory.SubFactory("tests.factories.plans.PlanFactory")
    status = PlanStatus.LIVE
    live_from = datetime.date(2018, 3, 1)
    basis = "test"

    class Params:
        live = factory.Trait(status=PlanStatus.LIVE, closed_on=None)
        closed = factory.Trait(
            status=PlanStatus.CLOSED,
            closed_on=CLOSED_ON,
            superseded_by="the Accelerated Progress Plan (APP)",
        )
        draft = factory.Trait(status=PlanStatus.DRAFT, closed_on=None)
