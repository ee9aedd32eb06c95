"""Make the job runner's schedules match wsoa_tracker/schedules.py (migrate does it too)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from wsoa_tracker import schedules


class Command(BaseCommand):
    help = (
        "Add, change or remove the job runner's schedules to match wsoa_tracker/schedules.py "
        "(run after every migrate as well); safe to run again."
    )

    def handle(self, *args, **options):
        from django_q.models import Schedule

        changed = schedules.sync()
        for planned in schedules.SCHEDULES:
            schedule = Schedule.objects.get(name=planned.name)
            mark = " (added or changed)" if planned.name in changed else ""
            self.stdout.write(
                f"{planned.name}: {planned.task}, every {planned.every}, next "
                f"{timezone.localtime(schedule.next_run):%d %B %Y %H:%M}{mark}"
            )
