from django.contrib.auth.management import create_permissions
from django.db import migrations

# A frozen copy of actions.roles at the time of this migration: a later change to the
# roles gets a migration of its own.
RECORD_MODELS = {
    "reviews": ["area", "organisation", "review"],
    "weaknesses": ["finding", "findingcontinuation", "verdict"],
    "actions": [
        "plan", "outcomesought", "requiredoutcome", "ownerrole", "action", "actionowner",
        "rating", "roleholding",
    ],
}


def permissions_by_role():
    view = [(app, f"view_{model}") for app, models in RECORD_MODELS.items() for model in models]
    keep = [
        (app, f"{verb}_{model}")
        for app, models in RECORD_MODELS.items()
        for model in models
        for verb in ("add", "change", "delete")
    ]
    return {
        "Programme Board officer": view + [("actions", "add_rating"), ("actions", "change_rating")],
        "Board member": view,
        "Administrator": view + keep + [("auth", f"{verb}_user") for verb in ("view", "add", "change")],
    }


def create_role_groups(apps, schema_editor):
    # Permissions are normally created after all migrations; create them now so that
    # the groups can hold them on a fresh database.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in permissions_by_role().items():
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, codename in codenames:
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def remove_role_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=permissions_by_role()).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("actions", "0001_initial"),
        ("reviews", "0001_initial"),
        ("weaknesses", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_role_groups, remove_role_groups)]
