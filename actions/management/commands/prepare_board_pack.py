"""Make today's board pack ahead of the board (run it nightly, after midnight): the first
member to download it then gets it at once instead of waiting for WeasyPrint."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.http import QueryDict

from actions.models import Plan
from actions.reports.board_pack import board_pack_for


class Command(BaseCommand):
    help = "Make and keep today's board pack of every plan (as at the end of yesterday)."

    def handle(self, *args, **options):
        for plan in Plan.objects.order_by("first_quarter_end"):
            started = time.perf_counter()
            pdf, as_at = board_pack_for(plan, QueryDict(), base_url=settings.SITE_URL)
            seconds = time.perf_counter() - started
            self.stdout.write(
                f"Board pack for {plan.short_name} as at {as_at:%d %B %Y} ready: "
                f"{len(pdf) // 1024} KB in {seconds:.1f} s."
            )
