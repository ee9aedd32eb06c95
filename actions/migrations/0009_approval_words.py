"""The board's acceptance of an officer's update gets its own word, "approval", so that
"review" means only an inspection: Reviewer becomes Approver, and a rating's
review_status, reviewed_by and reviewed_at become approval_status, decided_by and
decided_at. Renames only: no row is dropped or rewritten. The history guards are lifted
for the renames (SQLite rebuilds a table whose constraints change, and its triggers go
with it) and installed again on every history table afterwards; the permissions keep
their groups, renamed with the model."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from wsoa_tracker import history_guard


def rename_permissions(apps, schema_editor, old="reviewer", new="approver"):
    Permission = apps.get_model("auth", "Permission")
    for permission in Permission.objects.filter(
        content_type__app_label="actions", codename__endswith=f"_{old}"
    ):
        permission.codename = permission.codename.replace(f"_{old}", f"_{new}")
        permission.name = permission.name.replace(old, new)
        permission.save()


def unrename_permissions(apps, schema_editor):
    rename_permissions(apps, schema_editor, old="approver", new="reviewer")


OLD_RATING_CONSTRAINTS = [
    "rating_review_status_valid",
    "rating_accepted_has_its_rating",
    "rating_returned_has_a_reason",
    "rating_reviewer_and_time_together",
    "rating_review_matches_source",
]


class Migration(migrations.Migration):
    dependencies = [
        ("actions", "0008_history_append_only"),
        ("weaknesses", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(
            history_guard.remove_for_migration, history_guard.install_for_migration
        ),
        *[
            migrations.RemoveConstraint(model_name="rating", name=name)
            for name in OLD_RATING_CONSTRAINTS
        ],
        migrations.RemoveConstraint(model_name="reviewer", name="reviewer_unique_finding"),
        migrations.RemoveConstraint(model_name="reviewer", name="reviewer_chair_once"),
        migrations.RenameModel(old_name="Reviewer", new_name="Approver"),
        migrations.RenameModel(old_name="HistoricalReviewer", new_name="HistoricalApprover"),
        migrations.AlterModelOptions(
            name="historicalapprover",
            options={
                "get_latest_by": ("history_date", "history_id"),
                "ordering": ("-history_date", "-history_id"),
                "verbose_name": "historical approver",
                "verbose_name_plural": "historical approvers",
            },
        ),
        migrations.AlterField(
            model_name="approver",
            name="user",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="approver_roles",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AlterField(
            model_name="approver",
            name="finding",
            field=models.ForeignKey(
                blank=True,
                help_text="Blank for the board's chair, who approves every weakness's updates.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="approvers",
                to="weaknesses.finding",
            ),
        ),
        migrations.AlterField(
            model_name="historicalapprover",
            name="finding",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                help_text="Blank for the board's chair, who approves every weakness's updates.",
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="weaknesses.finding",
            ),
        ),
        *[
            migrations.RenameField(model_name=model, old_name=old, new_name=new)
            for model in ("rating", "historicalrating")
            for old, new in (
                ("review_status", "approval_status"),
                ("reviewed_by", "decided_by"),
                ("reviewed_at", "decided_at"),
            )
        ],
        *[
            migrations.AlterField(
                model_name=model,
                name="approval_status",
                field=models.CharField(
                    choices=[
                        ("submitted", "Awaiting approval"),
                        ("accepted", "Accepted"),
                        ("returned", "Returned"),
                    ],
                    default="submitted",
                    max_length=20,
                ),
            )
            for model in ("rating", "historicalrating")
        ],
        migrations.AlterField(
            model_name="rating",
            name="decided_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="ratings_decided",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddConstraint(
            model_name="rating",
            constraint=models.CheckConstraint(condition=models.Q(("approval_status__in", ["submitted", "accepted", "returned"])), name="rating_approval_status_valid"),
        ),
        migrations.AddConstraint(
            model_name="rating",
            constraint=models.CheckConstraint(condition=models.Q(models.Q(("approval_status", "accepted"), _negated=True), models.Q(("accepted_rating", ""), _negated=True), _connector="OR"), name="rating_accepted_has_its_rating"),
        ),
        migrations.AddConstraint(
            model_name="rating",
            constraint=models.CheckConstraint(condition=models.Q(models.Q(("approval_status", "returned"), _negated=True), models.Q(("return_reason", ""), _negated=True), _connector="OR"), name="rating_returned_has_a_reason"),
        ),
        migrations.AddConstraint(
            model_name="rating",
            constraint=models.CheckConstraint(condition=models.Q(models.Q(("decided_at__isnull", True), ("decided_by__isnull", True)), models.Q(("decided_at__isnull", False), ("decided_by__isnull", False)), _connector="OR"), name="rating_decider_and_time_together"),
        ),
        migrations.AddConstraint(
            model_name="rating",
            constraint=models.CheckConstraint(condition=models.Q(models.Q(("approval_status", "submitted"), ("decided_by__isnull", True)), models.Q(("approval_status__in", ["accepted", "returned"]), ("decided_by__isnull", False)), models.Q(("approval_status", "accepted"), ("decided_by__isnull", True), ("source", "published_document")), _connector="OR"), name="rating_approval_matches_source"),
        ),
        migrations.AddConstraint(
            model_name="approver",
            constraint=models.UniqueConstraint(fields=("user", "finding"), name="approver_unique_finding"),
        ),
        migrations.AddConstraint(
            model_name="approver",
            constraint=models.UniqueConstraint(condition=models.Q(("finding__isnull", True)), fields=("user",), name="approver_chair_once", violation_error_message="This person is already the chair."),
        ),
        migrations.AlterField(
            model_name="historicalrating",
            name="accepted_rating",
            field=models.CharField(blank=True, choices=[("green", "Green"), ("amber", "Amber"), ("red", "Red"), ("grey", "Grey")], help_text="The officer's rating as an approver last accepted it; blank if never.", max_length=10),
        ),
        migrations.AlterField(
            model_name="historicalrating",
            name="return_reason",
            field=models.TextField(blank=True, help_text="Why an approver last returned the update.", max_length=1000),
        ),
        migrations.AlterField(
            model_name="rating",
            name="accepted_rating",
            field=models.CharField(blank=True, choices=[("green", "Green"), ("amber", "Amber"), ("red", "Red"), ("grey", "Grey")], help_text="The officer's rating as an approver last accepted it; blank if never.", max_length=10),
        ),
        migrations.AlterField(
            model_name="rating",
            name="return_reason",
            field=models.TextField(blank=True, help_text="Why an approver last returned the update.", max_length=1000),
        ),
        migrations.RunPython(rename_permissions, unrename_permissions),
        migrations.RunPython(
            history_guard.install_for_migration, history_guard.remove_for_migration
        ),
    ]
