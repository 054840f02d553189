"""The regencies lagging behind the recording target, and their acceleration directives."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from workflow import laggards
from workflow.models import Assignment


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
        f"diharapkan / expected {laggard.expected:.1f} %"
    )


# What a run does (or would do) for one regency.
OUTCOMES = {
    laggards.OPENED: "direktif baru / new directive",
    laggards.UPDATED: "direktif terbuka diperbarui / open directive updated",
    laggards.UNCHANGED: "sudah diperbarui pekan ini / already done this week",
    laggards.CLOSED: "tidak lagi tertinggal, ditutup / no longer lagging, closed",
}


def outcome_of(item):
    text = OUTCOMES[item.outcome]
    track = getattr(item, "directive", None) or item.track
    if isinstance(track, Assignment):
        track = track.directive
    return f"{text} #{track.pk}" if track is not None else text


class Command(BaseCommand):
    help = (
        "Cari kabupaten/kota yang tertinggal dari jalur perekaman KTP-el dan jaga satu "
        "direktif percepatan per kabupaten/kota / Find the regencies lagging behind the e-KTP "
        "recording path and keep one acceleration directive per regency (open, update, close)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--at", help="tanggal ISO 8601 / ISO 8601 date (default: today, WIB), e.g. 2017-10-31"
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="hanya daftar, tidak menulis apa pun / list only, write nothing",
        )

    def handle(self, *args, at=None, dry_run=False, **options):
        day = parse_date(at) if at else timezone.localdate()
        if dry_run:
            planned = laggards.plan(day)
            lagging = [p for p in planned if p.laggard.lagging]
            self.stdout.write(
                f"Uji coba per {day}, tidak ada yang ditulis / Dry run at {day}, "
                f"nothing written. Tertinggal / Lagging: {len(lagging)}"
            )
            for item in planned:
                self.stdout.write(f"  {describe(item.laggard)}: {outcome_of(item)}")
            return
        done = laggards.issue_acceleration_directives(at=day)
        count = {o: sum(1 for i in done if i.outcome == o) for o in OUTCOMES}
        self.stdout.write(
            f"Per {day} / At {day}: {sum(1 for i in done if i.laggard.lagging)} tertinggal / "
            f"lagging, {count[laggards.OPENED]} direktif diterbitkan / directives issued, "
            f"{count[laggards.UPDATED]} diperbarui / updated, "
            f"{count[laggards.CLOSED]} ditutup / closed"
        )
        for item in done:
            self.stdout.write(f"  {describe(item.laggard)}: {outcome_of(item)}")
