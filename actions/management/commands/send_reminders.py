"""Send each officer their monthly reminder of updates due and overdue (run monthly)."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from actions.reminders import officers_to_remind, reminder_send


class Command(BaseCommand):
    help = (
        "Email each officer the actions due for their monthly update and the overdue ones. "
        "For a scheduler to run monthly; a second run in the same month sends nothing new."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Act as if today were this date (YYYY-MM-DD).")

    def handle(self, *args, date=None, **options):
        try:
            today = datetime.date.fromisoformat(date) if date else timezone.localdate()
        except ValueError:
            raise CommandError(f"Enter the date as YYYY-MM-DD, not {date!r}") from None
        sent = 0
        for user in officers_to_remind(today):
            reminder = reminder_send(user=user, today=today)
            if reminder:
                sent += 1
                self.stdout.write(
                    f"Sent to {user.username}: {reminder.actions_due} due, "
                    f"{reminder.actions_overdue} overdue"
                )
        self.stdout.write(f"{sent} reminder{'s' if sent != 1 else ''} sent for {today:%B %Y}.")
