"""The 2023 framework's follow-ups as review kinds: monitoring inspections and DfE and NHS
England stocktakes."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('reviews', '0001_initial'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='review',
            name='review_kind_valid',
        ),
        migrations.AlterField(
            model_name='historicalreview',
            name='kind',
            field=models.CharField(choices=[('joint_inspection', 'Joint local area SEND inspection'), ('revisit', 'Joint area SEND revisit'), ('app_review', 'Accelerated Progress Plan review'), ('area_send_inspection', 'Area SEND inspection'), ('monitoring_inspection', 'Area SEND monitoring inspection'), ('stocktake', 'DfE and NHS England stocktake')], max_length=30),
        ),
        migrations.AlterField(
            model_name='review',
            name='kind',
            field=models.CharField(choices=[('joint_inspection', 'Joint local area SEND inspection'), ('revisit', 'Joint area SEND revisit'), ('app_review', 'Accelerated Progress Plan review'), ('area_send_inspection', 'Area SEND inspection'), ('monitoring_inspection', 'Area SEND monitoring inspection'), ('stocktake', 'DfE and NHS England stocktake')], max_length=30),
        ),
        migrations.AddConstraint(
            model_name='review',
            constraint=models.CheckConstraint(condition=models.Q(('kind__in', ['joint_inspection', 'revisit', 'app_review', 'area_send_inspection', 'monitoring_inspection', 'stocktake'])), name='review_kind_valid'),
        ),
    ]
