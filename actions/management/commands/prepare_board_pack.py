"""Make the board pack of every plan's default view (as at now, unfiltered) ahead of the
board (run it nightly, after midnight): members then get it at once. If a render slot is
busy (someone's pack being made), it waits for one, a bounded time, then stops cleanly."""

import time

from django.core.management.base import BaseCommand, CommandError

from actions.models import Plan
from actions.reports.board_pack_preparation import WAIT_FOR_SLOT, NoSlotFree, prepare


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
        for plan in Plan.objects.order_by("first_quarter_end"):
            started = time.perf_counter()
            try:
                pdf, as_at, made = prepare(plan, wait=options["wait"])
            except NoSlotFree as problem:
                raise CommandError(
                    f"Board pack for {plan.short_name} not made: {problem}"
                ) from None
            seconds = time.perf_counter() - started
            done = f"made in {seconds:.1f} s" if made else "already made"
            self.stdout.write(
                f"Board pack for {plan.short_name} as at {as_at:%d %B %Y} ready: "
                f"{len(pdf) // 1024} KB, {done}."
            )
