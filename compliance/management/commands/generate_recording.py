import sys
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from compliance.models import District
from compliance.recording_generator import (
    XLSX_MAX_ROWS,
    curve,
    dates,
    reports,
    write_csv,
    write_xlsx,
)


def iso_date(text):
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"Tanggal tidak valid / Not a date (YYYY-MM-DD): {text}") from None


class Command(BaseCommand):
    help = (
        "Buat berkas laporan perekaman yang wajar untuk semua kecamatan (atau beberapa "
        "wilayah) pada rentang tanggal. / Generate a plausible file of recording reports for "
        "every district (or some regions) over a range of dates."
    )

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="start", type=iso_date, required=True)
        parser.add_argument("--to", dest="end", type=iso_date, required=True)
        parser.add_argument("--every", type=int, default=1, help="hari / days between reports")
        parser.add_argument(
            "--regions", default="", help="kode provinsi/kabupaten, e.g. 15,16.02 (default: all)"
        )
        parser.add_argument("--output", required=True, help="berkas / file ('-' for stdout)")
        parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
        parser.add_argument("--seed", type=int, default=2017)

    def handle(self, *args, start, end, every, regions, output, format, seed, **options):
        if end < start or every < 1:
            raise CommandError("--to harus >= --from, --every >= 1 / --to >= --from, --every >= 1")
        curves = [(code, curve(code, seed)) for code in self._codes(regions)]
        if not curves:
            raise CommandError("Tidak ada kecamatan / No districts (python manage.py load_regions)")
        total = len(curves) * sum(1 for _ in dates(start, end, every))
        rows = reports(curves, start, end, every)
        if format == "xlsx":
            if total > XLSX_MAX_ROWS or output == "-":
                raise CommandError(
                    f"XLSX: berkas saja, paling banyak {XLSX_MAX_ROWS} baris / a file, at most "
                    f"{XLSX_MAX_ROWS} rows ({total} asked)"
                )
            written = write_xlsx(rows, output)
        elif output == "-":
            written = write_csv(rows, sys.stdout)
        else:
            with open(output, "w", encoding="utf-8", newline="\n", buffering=1 << 20) as out:
                written = write_csv(rows, out)
        self.stderr.write(
            f"{written} baris untuk {len(curves)} kecamatan / rows for {len(curves)} districts"
        )

    def _codes(self, regions):
        prefixes = [p.strip() for p in regions.split(",") if p.strip()]
        districts = District.objects.order_by("code")
        if prefixes:
            condition = Q(pk__in=[])
            for prefix in prefixes:
                condition |= Q(code__startswith=f"{prefix}.")
            districts = districts.filter(condition)
        return list(districts.values_list("code", flat=True))
