"""The regencies lagging behind the recording target, and their acceleration directives."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from compliance.laggards import find_laggards
from workflow.laggards import issue_acceleration_directives


def parse_date(value):
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(
            f"--at '{value}' bukan tanggal ISO 8601 / --at is not an ISO 8601 date "
            "(e.g. 2017-10-31)"
        ) from None


def describe(laggard):
    r = laggard.regency
    return (
        f"{r.code} {r.name}: realisasi / realisation {laggard.realisation:.1f} %, "
        f"diharapkan / expected {laggard.expected:.1f} % ({laggard.reason})"
    )


class Command(BaseCommand):
    help = (
        "Cari kabupaten/kota yang tertinggal dari jalur perekaman KTP-el dan terbitkan "
        "direktif percepatan / Find the regencies lagging behind the e-KTP recording path "
        "and issue their acceleration directives."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--at", help="tanggal ISO 8601 / ISO 8601 date (default: today, WIB), e.g. 2017-10-31"
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="hanya daftar, tidak menerbitkan apa pun / list only, issue nothing",
        )

    def handle(self, *args, at=None, dry_run=False, **options):
        day = parse_date(at) if at else timezone.localdate()
        if dry_run:
            laggards = find_laggards(day)
            self.stdout.write(
                f"Uji coba per {day}, tidak ada yang diterbitkan / Dry run at {day}, "
                f"nothing issued. Tertinggal / Lagging: {len(laggards)}"
            )
            for laggard in laggards:
                self.stdout.write(f"  {describe(laggard)}")
            return
        issued = issue_acceleration_directives(at=day)
        new = [i for i in issued if i.directive is not None]
        self.stdout.write(
            f"Per {day} / At {day}: {len(issued)} tertinggal / lagging, "
            f"{len(new)} direktif diterbitkan / directives issued"
        )
        for item in issued:
            if item.directive is None:
                outcome = "sudah diterbitkan pekan ini / already issued this week"
            else:
                outcome = f"direktif / directive #{item.directive.pk}"
            self.stdout.write(f"  {describe(item.laggard)}: {outcome}")
