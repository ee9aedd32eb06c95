"""ApiTokenFactory: an API token issued by an administrator through the service, with the
token itself (shown once, never stored) on the instance as `secret`."""

import factory

from actions.models import ApiToken
from actions.services import api_token_issue

from .users import UserFactory


class ApiTokenFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ApiToken

    user = factory.SubFactory(UserFactory, board_member=True)
    name = factory.Sequence(lambda n: f"Analyst's report {n}")
    issued_by = factory.SubFactory(UserFactory, administrator=True)

    @classmethod
    def _create(cls, model_class, user, name, issued_by, **kwargs):
        token, secret = api_token_issue(user=user, name=name, issued_by=issued_by)
        token.secret = secret
        return token
