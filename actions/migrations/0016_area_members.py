"""Area members: which areas a board member or the chair sees once there is more than one.
Its history is append-only like every other; every role reads it, administrators keep it."""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

from wsoa_tracker import history_guard


def grant(apps, schema_editor):
    """Every role reads area members; administrators keep them (as roles.py says)."""
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
        codenames = [f"{verb}_areamember" for verb in granted]
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="actions", codename__in=codenames)
        )


class Migration(migrations.Migration):

    dependencies = [
        ('actions', '0015_notifications'),
        ('reviews', '0002_review_follow_up_kinds'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='HistoricalAreaMember',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('area', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='reviews.area')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('user', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': "historical area's board member",
                'verbose_name_plural': "historical areas' board members",
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='AreaMember',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('area', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='members', to='reviews.area')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='area_memberships', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': "area's board member",
                'verbose_name_plural': "areas' board members",
                'ordering': ['area', 'user'],
                'constraints': [models.UniqueConstraint(fields=('user', 'area'), name='area_member_once')],
            },
        ),
    ]


Migration.operations += [
    migrations.RunPython(history_guard.install_for_migration, migrations.RunPython.noop),
    migrations.RunPython(grant, migrations.RunPython.noop),
]
