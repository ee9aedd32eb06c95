"""A plan's life (rules.plan_life), its own record with its own history: draft, live or
closed, the day it went live, the day it closed, what superseded it and the basis. A plan
with none stays live from its first month (so nothing changes for existing plans until the
record loader sets the WSOA's, fixtures/wsoa/plan.yaml). The new history table is made
append-only like the others; every role reads it and administrators keep it."""

import actions.rules.text
import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

from wsoa_tracker import history_guard


def grant(apps, schema_editor):
    """Every role reads a plan's life; administrators keep it (as roles.py says)."""
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    verbs = {
        "Programme Board officer": ["view"],
        "Board member": ["view"],
        "Administrator": ["view", "add", "change", "delete"],
    }
    for name, granted in verbs.items():
        group, _ = Group.objects.get_or_create(name=name)
        codenames = [f"{verb}_planlife" for verb in granted]
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="actions", codename__in=codenames)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("actions", "0011_figure_period_ends_a_month"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="HistoricalPlanLife",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[("draft", "Draft"), ("live", "Live"), ("closed", "Closed")],
                        default="live",
                        help_text="Live: monitored and taking updates. Closed: a record. To reopen a closed plan, set it back to Live and clear the day it closed.",
                        max_length=10,
                    ),
                ),
                ("live_from", models.DateField(help_text="The first day it was monitored.")),
                (
                    "closed_on",
                    models.DateField(
                        blank=True,
                        help_text="The day it closed: from then on it reads as a record.",
                        null=True,
                    ),
                ),
                (
                    "superseded_by",
                    models.CharField(
                        blank=True,
                        help_text='What replaced it, for example "the Accelerated Progress Plan (APP)".',
                        max_length=300,
                        validators=[actions.rules.text.TypedText("Superseded by", one_line=True)],
                    ),
                ),
                (
                    "basis",
                    models.TextField(
                        blank=True,
                        help_text="The documents (and lines) its dates and status come from.",
                    ),
                ),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "plan",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="actions.plan",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical plan's life",
                "verbose_name_plural": "historical plans' lives",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="PlanLife",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[("draft", "Draft"), ("live", "Live"), ("closed", "Closed")],
                        default="live",
                        help_text="Live: monitored and taking updates. Closed: a record. To reopen a closed plan, set it back to Live and clear the day it closed.",
                        max_length=10,
                    ),
                ),
                ("live_from", models.DateField(help_text="The first day it was monitored.")),
                (
                    "closed_on",
                    models.DateField(
                        blank=True,
                        help_text="The day it closed: from then on it reads as a record.",
                        null=True,
                    ),
                ),
                (
                    "superseded_by",
                    models.CharField(
                        blank=True,
                        help_text='What replaced it, for example "the Accelerated Progress Plan (APP)".',
                        max_length=300,
                        validators=[actions.rules.text.TypedText("Superseded by", one_line=True)],
                    ),
                ),
                (
                    "basis",
                    models.TextField(
                        blank=True,
                        help_text="The documents (and lines) its dates and status come from.",
                    ),
                ),
                (
                    "plan",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="life",
                        to="actions.plan",
                    ),
                ),
            ],
            options={
                "verbose_name": "plan's life",
                "verbose_name_plural": "plans' lives",
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("status__in", ["draft", "live", "closed"])),
                        name="plan_life_status_valid",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("closed_on__isnull", False), ("status", "closed")),
                            models.Q(
                                models.Q(("status", "closed"), _negated=True),
                                ("closed_on__isnull", True),
                            ),
                            _connector="OR",
                        ),
                        name="plan_life_closed_on_with_closed",
                        violation_error_message="Enter the day a closed plan closed; a live or draft plan has none (clear it to reopen the plan)",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("closed_on__isnull", True),
                            ("closed_on__gt", models.F("live_from")),
                            _connector="OR",
                        ),
                        name="plan_life_closes_after_it_goes_live",
                        violation_error_message="A plan closes after the day it went live",
                    ),
                ],
            },
        ),
        migrations.RunPython(history_guard.install_for_migration, migrations.RunPython.noop),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
