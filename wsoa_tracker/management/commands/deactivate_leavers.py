"""Nightly: deactivate the accounts nobody has signed in to for LEAVER_AFTER_DAYS days."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from wsoa_tracker.leavers import leavers_deactivate


class Command(BaseCommand):
    help = (
        "Deactivate every active account not signed in to for LEAVER_AFTER_DAYS days "
        "(default 90; never signed in counts from when the account was made). Accounts, "
        "their records and history are kept; each is logged. Meant for a nightly schedule."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days", type=int, help=f"instead of LEAVER_AFTER_DAYS ({settings.LEAVER_AFTER_DAYS})"
        )
        parser.add_argument("--dry-run", action="store_true", help="say who, change nothing")

    def handle(self, *args, days=None, dry_run=False, **options):
        if days is not None and days < 1:
            raise CommandError("--days must be a whole number of days, 1 or more.")
        found = leavers_deactivate(days=days, dry_run=dry_run)
        verb = "would be deactivated (dry run)" if dry_run else "deactivated"
        self.stdout.write(f"{len(found)} account(s) {verb}.")
