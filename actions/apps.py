"""The actions app: the plan, its actions, owners, ratings, measures and the board's
reports."""

from django.apps import AppConfig


class ActionsConfig(AppConfig):
    name = "actions"
    verbose_name = "Plans, actions and ratings"
