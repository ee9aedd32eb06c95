"""Make the board pack of every plan's default view (as at now, unfiltered) ahead of the
board (the job runner runs it nightly, wsoa_tracker/schedules.py): members then get it at
once. If a render slot is busy (someone's pack being made), it waits for one, a bounded
time, then stops cleanly."""

from django.core.management.base import BaseCommand, CommandError

from actions.reports.board_pack_preparation import WAIT_FOR_SLOT, NoSlotFree, prepare_every_plan


class Command(BaseCommand):
    help = "Make and keep the board pack of every plan (as at now), waiting for a free slot."

    def add_arguments(self, parser):
        parser.add_argument(
            "--wait",
            type=int,
            default=WAIT_FOR_SLOT,
            help="Seconds to wait for a free render slot (default %(default)s).",
        )

    def handle(self, *args, **options):
        try:
            done = prepare_every_plan(wait=options["wait"])
        except NoSlotFree as problem:
            raise CommandError(str(problem)) from None
        for short_name, as_at, size, made, seconds in done:
            state = f"made in {seconds:.1f} s" if made else "already made"
            self.stdout.write(
                f"Board pack for {short_name} as at {as_at:%d %B %Y} ready: "
                f"{size // 1024} KB, {state}."
            )
