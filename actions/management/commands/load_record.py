"""Load or re-check the real record from fixtures/ (actions.record), never overwriting an
edited row."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from actions.record import RecordError, RecordLoader


class Command(BaseCommand):
    help = (
        "Load the local area's record (findings, reviews, verdicts, the WSOA and its published "
        "ratings) from the YAML files in fixtures/. Safe to run again: it changes nothing that "
        "is already loaded and never overwrites rows edited since they were loaded."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--directory", default=str(settings.RECORD_DIR), help="Folder of the record files."
        )

    def handle(self, *args, directory, **options):
        try:
            report = RecordLoader(directory).load()
        except RecordError as error:
            raise CommandError(f"Nothing was loaded. {error}") from error
        for line in report.lines():
            self.stdout.write(line)
        for conflict in report.conflicts:
            self.stderr.write(self.style.WARNING(conflict))
        self.stdout.write(self.style.SUCCESS("The record is loaded."))
