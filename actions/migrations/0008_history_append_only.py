from django.db import migrations

from wsoa_tracker import history_guard


class Migration(migrations.Migration):
    """Every history table so far refuses UPDATE and DELETE (triggers on both databases)."""

    dependencies = [
        ("actions", "0007_review_permissions"),
        ("reviews", "0001_initial"),
        ("weaknesses", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(
            history_guard.install_for_migration, history_guard.remove_for_migration
        ),
    ]
