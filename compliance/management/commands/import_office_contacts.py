from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from compliance.office_contacts import HEADER, bilingual, import_office_contacts


class Command(BaseCommand):
    help = (
        "Muat alamat surel resmi jabatan daerah (dan nama pemangkunya) dari berkas CSV: semua "
        "baris diperiksa, ditulis semua atau tidak sama sekali. / Load the official e-mail "
        "addresses of regional offices (and their holders' names) from a CSV file: every row "
        "checked, all written or none."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help=f"{','.join(HEADER)} (.csv, UTF-8)")

    def handle(self, *args, file, verbosity, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Berkas tidak ditemukan / File not found: {path}")
        with path.open("rb") as source:
            result = import_office_contacts(source)
        if not result.ok:
            self._refuse(result)
        if not result.changed:
            self.stdout.write(
                "Alamat jabatan sudah mutakhir, tidak ada perubahan. / "
                "Office contacts up to date, nothing changed."
            )
            return
        if verbosity >= 1:
            self._list_changes(result)
        created, updated = len(result.created), len(result.updated)
        self.stdout.write(
            self.style.SUCCESS(
                f"{created} jabatan dibuat, {updated} diperbarui, {result.unchanged} tetap. / "
                f"{created} offices created, {updated} updated, {result.unchanged} unchanged."
            )
        )

    def _list_changes(self, result):
        for office in result.created:
            self.stdout.write(f"+ {office.title}: {office.email}{_name(office)}")
        for office, before in result.updated:
            self.stdout.write(f"  {office.title}: {before or '-'} -> {office.email}{_name(office)}")

    def _refuse(self, result):
        for error in result.errors:
            self.stderr.write(f"baris/line {error['line']}: {bilingual(error)}")
        count = len(result.errors)
        raise CommandError(
            f"Berkas ditolak: {count} kesalahan, tidak ada yang ditulis. / "
            f"File refused: {count} errors, nothing written.",
            returncode=1,
        )


def _name(office):
    return f" ({office.holder_name})" if office.holder_name else ""
