"""The reviews app: the local area, its organisations, and the inspections and reviews of
it."""

from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = "Local area, inspections and reviews"
