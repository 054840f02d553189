import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from compliance.errors import InvalidInput
from compliance.recording_import import bilingual, count_rows, import_file
from compliance.recording_jobs import file_format


class Command(BaseCommand):
    help = (
        "Impor laporan perekaman KTP-el dari berkas CSV atau XLSX: semua baris diperiksa, "
        "ditulis semua atau tidak sama sekali. / Import e-KTP recording reports from a CSV "
        "or XLSX file: every row checked, all written or none."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="district_code,date,obliged,recorded,printed (.csv/.xlsx)")

    def handle(self, *args, file, **options):
        path = Path(file)
        try:
            fmt = file_format(path.name)
        except InvalidInput as e:
            raise CommandError(e.detail) from None
        if not path.is_file():
            raise CommandError(f"Berkas tidak ditemukan / File not found: {path}")
        with path.open("rb") as source:
            total = count_rows(source, fmt)
            with tqdm(total=total, unit=" baris/rows", file=sys.stderr, disable=None) as bar:
                result = import_file(source, fmt=fmt, on_progress=lambda n: bar.update(n - bar.n))
        if not result.ok:
            self._refuse(result)
        self.stdout.write(
            self.style.SUCCESS(
                f"{result.rows_written} laporan ditulis dari {result.rows_total} baris. / "
                f"{result.rows_written} reports written from {result.rows_total} rows."
            )
        )

    def _refuse(self, result):
        for error in result.errors:
            where = f"baris/line {error['line']}: " if error["line"] else ""
            self.stderr.write(f"{where}{bilingual(error)}")
        unlisted = result.error_count - len(result.errors)
        if unlisted:
            self.stderr.write(f"... +{unlisted} lagi / more")
        raise CommandError(
            f"Berkas ditolak: {result.error_count} kesalahan, tidak ada yang ditulis. / "
            f"File refused: {result.error_count} errors, nothing written.",
            returncode=1,
        )
