"""One escalation sweep, now or as if the clock read another instant."""

import datetime as dt
import zoneinfo

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from compliance.i18n import bilingual
from workflow.escalation import sweep
from workflow.models import StepAction

JAKARTA = zoneinfo.ZoneInfo("Asia/Jakarta")


def parse_instant(value):
    """An aware instant from ISO 8601: a bare date is 00:00 and a naive time is local,
    both in Asia/Jakarta (WIB)."""
    try:
        if len(value) == 10:
            return dt.datetime.combine(dt.date.fromisoformat(value), dt.time(0), tzinfo=JAKARTA)
        instant = dt.datetime.fromisoformat(value)
    except ValueError:
        raise CommandError(
            f"--at '{value}' bukan waktu ISO 8601 / --at is not an ISO 8601 instant "
            "(e.g. 2027-01-30T09:00+07:00 or 2027-01-30)"
        ) from None
    return instant if timezone.is_aware(instant) else instant.replace(tzinfo=JAKARTA)


class Command(BaseCommand):
    help = (
        "Jalankan satu sapuan eskalasi seolah-olah jam menunjukkan --at (bawaan: sekarang) "
        "/ Run one escalation sweep as if the clock read --at (default: now)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--at",
            help="waktu ISO 8601 / ISO 8601 instant, e.g. 2027-01-30T09:00+07:00; a bare date "
            "is 00:00 WIB, a time without offset is WIB",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="tampilkan yang akan terjadi tanpa menulis apa pun / show what would fire, "
            "write nothing",
        )

    def handle(self, *args, at=None, dry_run=False, **options):
        now = parse_instant(at) if at else timezone.now()
        result = sweep(now=now, dry_run=dry_run)
        when = now.astimezone(JAKARTA).isoformat(timespec="minutes")
        if dry_run:
            self.stdout.write(
                f"Uji coba pada {when}, tidak ada yang ditulis / Dry run at {when}, "
                "nothing written. Akan terjadi / Would fire:"
            )
        else:
            self.stdout.write(f"Sapuan pada {when} / Sweep at {when}. Terjadi / Fired:")
        for action in StepAction:
            fired, skipped = result.fired[action], result.skipped[action]
            if fired or skipped:
                line = f"  {bilingual(action.label)}: {fired}"
                if skipped:
                    line += f" (dilewati / skipped: {skipped})"
                self.stdout.write(line)
        skipped = sum(result.skipped.values())
        self.stdout.write(
            f"Jumlah / Total: {result.total} langkah / steps"
            + (f", {skipped} dilewati / skipped" if skipped else "")
        )
