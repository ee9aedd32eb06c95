"""The weaknesses app: the findings inspections made, and their verdicts."""

from django.apps import AppConfig


class WeaknessesConfig(AppConfig):
    name = "weaknesses"
    verbose_name = "Findings and verdicts"
