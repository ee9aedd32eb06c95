"""PlanFactory: the plan answering the findings, one shared "test-plan" running from March
2018 to March 2019 (actions.Plan). With no life recorded it is live from its first month;
traits `live` and `closed` record its life (PlanLifeFactory)."""

import datetime

import factory

from actions.models import Plan

from .areas import AreaFactory


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan
        django_get_or_create = ["slug"]
        skip_postgeneration_save = True

    area = factory.SubFactory(AreaFactory)
    slug = "test-plan"
    title = "Test written statement of action"
    short_name = "WSOA"
    first_quarter_end = datetime.date(2018, 3, 31)
    last_quarter_end = datetime.date(2019, 3, 31)
    source = "test"

    class Params:
        live = factory.Trait(
            life=factory.RelatedFactory("tests.factories.plan_lives.PlanLifeFactory", "plan")
        )
        closed = factory.Trait(
            life=factory.RelatedFactory(
                "tests.factories.plan_lives.PlanLifeFactory", "plan", closed=True
            )
        )
