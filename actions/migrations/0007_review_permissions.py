from django.contrib.auth.management import create_permissions
from django.db import migrations

# Frozen at the time of this migration, like 0002_roles and 0005_measure_permissions.
NEW_MODELS = ["reviewer", "publicsummary"]


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    def permissions(*codenames):
        return Permission.objects.filter(content_type__app_label="actions", codename__in=codenames)

    view = [f"view_{model}" for model in NEW_MODELS]
    keep = [f"{verb}_{model}" for model in NEW_MODELS for verb in ("add", "change", "delete")]
    for name, codenames in {
        "Programme Board officer": view,
        "Board member": view + ["add_publicsummary"],
        "Administrator": view + keep,
    }.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*permissions(*codenames))


class Migration(migrations.Migration):
    dependencies = [("actions", "0006_review_flow")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
