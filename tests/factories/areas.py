"""AreaFactory: the local area partnership (reviews.Area), one shared "testshire"."""

import factory

from reviews.models import Area


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area
        django_get_or_create = ["slug"]

    slug = "testshire"
    name = "Testshire local area"
