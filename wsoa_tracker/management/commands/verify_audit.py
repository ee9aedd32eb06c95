"""Check the hash chain over every history row (wsoa_tracker.audit_chain); exit non-zero
naming the first row altered, removed or added without a seal."""

from django.core.management.base import BaseCommand, CommandError

from wsoa_tracker.audit_chain import ChainBroken, verify


class Command(BaseCommand):
    help = (
        "Recompute the audit's hash chain over every history row and report the first break "
        "(a row altered, removed or added behind the app's back, or a seal removed or "
        "re-ordered). Exits non-zero on a break. Prints the head digest: note it with the "
        "row count, for instance in the board pack, to notice a cut tail later."
    )

    def handle(self, *args, **options):
        try:
            count, head = verify()
        except ChainBroken as error:
            raise CommandError(f"The audit chain is broken. {error}") from error
        self.stdout.write(
            self.style.SUCCESS(f"The audit chain is intact: {count} history rows sealed.")
        )
        self.stdout.write(f"Head digest: {head}")
