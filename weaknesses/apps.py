from django.apps import AppConfig


class WeaknessesConfig(AppConfig):
    name = "weaknesses"
    verbose_name = "Findings and verdicts"
