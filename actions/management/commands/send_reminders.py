"""Send each officer their monthly reminder of updates due and overdue (run monthly)."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from actions.reminders import in_words, reminders_send_all


class Command(BaseCommand):
    help = (
        "Email each officer the actions due for their monthly update and the overdue ones. "
        "The job runner runs it monthly (wsoa_tracker/schedules.py); a second run in the "
        "same month sends nothing new."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Act as if today were this date (YYYY-MM-DD).")

    def handle(self, *args, date=None, **options):
        try:
            today = datetime.date.fromisoformat(date) if date else timezone.localdate()
        except ValueError:
            raise CommandError(f"Enter the date as YYYY-MM-DD, not {date!r}") from None
        sent = reminders_send_all(today)
        for reminder in sent:
            self.stdout.write(
                f"Sent to {reminder.user.username}: {reminder.actions_due} due, "
                f"{reminder.actions_overdue} overdue"
            )
        self.stdout.write(in_words(sent, today))
