import datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from actions import roles
from actions.models import (
    Action,
    ActionOwner,
    ApprovalStatus,
    Approver,
    Better,
    Measure,
    MeasureFigure,
    MeasureTarget,
    MeasureUnit,
    OwnerRole,
    Plan,
    PublicSummary,
    Rating,
    RatingColour,
    RatingSource,
    RequiredOutcome,
)
from tests.reviews.factories import AreaFactory
from tests.weaknesses.factories import FindingFactory


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password("a long test passphrase")

    @factory.post_generation
    def role(user, create, extracted, **kwargs):
        """UserFactory(role=roles.OFFICER) puts the user in that role's group."""
        if create and extracted:
            user.groups.add(Group.objects.get(name=extracted))
            if extracted == roles.ADMINISTRATOR:
                user.is_staff = True
                user.save(update_fields=["is_staff"])


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan
        django_get_or_create = ["slug"]

    area = factory.SubFactory(AreaFactory)
    slug = "test-plan"
    title = "Test written statement of action"
    short_name = "WSOA"
    first_quarter_end = datetime.date(2018, 3, 31)
    last_quarter_end = datetime.date(2019, 3, 31)
    source = "test"


class RequiredOutcomeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RequiredOutcome

    plan = factory.SubFactory(PlanFactory)
    weakness = factory.SubFactory(FindingFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Required outcome {n}")


class OwnerRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OwnerRole

    area = factory.SubFactory(AreaFactory)
    title = factory.Sequence(lambda n: f"SEN Manager {n}")


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    required_outcome = factory.SubFactory(RequiredOutcomeFactory)
    number = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(lambda n: f"Do the thing number {n}")
    timescale = "Monthly"


class ActionOwnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionOwner

    action = factory.SubFactory(ActionFactory)
    role = factory.SubFactory(OwnerRoleFactory)


class RatingFactory(factory.django.DjangoModelFactory):
    """A rating an approver has accepted as it stands (the state the board's reports show);
    `submitted=True` for an update awaiting approval, `published=True` for the WSOA's own."""

    class Meta:
        model = Rating

    action = factory.SubFactory(ActionFactory)
    month = datetime.date(2018, 6, 1)
    rating = RatingColour.AMBER
    source = RatingSource.USER
    recorded_by = factory.SubFactory(UserFactory)
    approval_status = ApprovalStatus.ACCEPTED
    accepted_rating = factory.SelfAttribute("rating")
    decided_by = factory.SubFactory(UserFactory, username="factory-approver")
    decided_at = factory.LazyFunction(timezone.now)

    class Params:
        published = factory.Trait(
            source=RatingSource.PUBLISHED_DOCUMENT,
            recorded_by=None,
            month=datetime.date(2018, 3, 1),
            decided_by=None,
            decided_at=None,
        )
        submitted = factory.Trait(
            approval_status=ApprovalStatus.SUBMITTED,
            accepted_rating="",
            decided_by=None,
            decided_at=None,
        )

    @classmethod
    def _create(cls, model_class, *args, history_date=None, **kwargs):
        """`history_date=` dates the first history entry (history rows are never updated)."""
        rating = model_class(*args, **kwargs)
        if history_date:
            rating._history_date = history_date
        rating.save()
        return rating


class MeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measure

    plan = factory.SubFactory(PlanFactory)
    slug = factory.Sequence(lambda n: f"measure-{n}")
    name = "% of new EHC plans completed within 20 weeks"
    unit = MeasureUnit.PERCENT
    better = Better.HIGHER


class MeasureTargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeasureTarget

    measure = factory.SubFactory(MeasureFactory)
    period_end = datetime.date(2018, 6, 30)
    label = "June 2018"
    value = 50
    source = "test"


class MeasureFigureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeasureFigure

    measure = factory.SubFactory(MeasureFactory)
    period_end = datetime.date(2018, 6, 30)
    label = "June 2018"
    value = 45
    source = "test"


class ApproverFactory(factory.django.DjangoModelFactory):
    """The chair by default (no finding); pass `finding` for a weakness's approver."""

    class Meta:
        model = Approver

    user = factory.SubFactory(UserFactory, role=roles.BOARD_MEMBER)
    finding = None


class PublicSummaryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PublicSummary

    finding = factory.SubFactory(FindingFactory)
    plain_english = "Plans for children were not written well enough."
    being_done = "Every plan is now checked by a senior officer."
    you_said_we_did = "You said plans were late; we now finish most within 20 weeks."
    published_by = factory.SubFactory(UserFactory, role=roles.BOARD_MEMBER)
