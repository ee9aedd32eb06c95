"""UserFactory: a person who signs in, with a trait per role: officer, board_member,
administrator, and chair (a board member named approver of every weakness)."""

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from actions import roles

PASSWORD = "a long test passphrase"


def join(user, role):
    """Put the user in the role's group (and an administrator on the staff)."""
    user.groups.add(Group.objects.get(name=role))
    if role == roles.ADMINISTRATOR:
        user.is_staff = True
        user.save(update_fields=["is_staff"])


def in_group(role):
    return factory.PostGeneration(
        lambda user, create, extracted, **kwargs: create and join(user, role)
    )


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password(PASSWORD)

    class Params:
        # Each its own declaration, so that roles combine: UserFactory(administrator=True,
        # chair=True) is both.
        officer = factory.Trait(officer_group=in_group(roles.OFFICER))
        board_member = factory.Trait(board_member_group=in_group(roles.BOARD_MEMBER))
        administrator = factory.Trait(administrator_group=in_group(roles.ADMINISTRATOR))
        # A board member named approver of every weakness (a Approver with no finding).
        chair = factory.Trait(
            board_member=True,
            reviews_every_weakness=factory.RelatedFactory(
                "tests.factories.approvers.ApproverFactory", factory_related_name="user"
            ),
        )

    @factory.post_generation
    def role(user, create, extracted, **kwargs):
        """UserFactory(role=roles.OFFICER) puts the user in that role's group, as the
        role's trait does (UserFactory(officer=True))."""
        if create and extracted:
            join(user, extracted)
