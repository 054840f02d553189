from django.core.management.base import BaseCommand

from compliance.regions import load_regions


class Command(BaseCommand):
    help = "Muat provinsi, kabupaten/kota dan kecamatan resmi Kemendagri (idn-area-data 4.0.1)."

    def handle(self, *args, **options):
        result = load_regions()
        if not result.changed:
            self.stdout.write(
                "Wilayah sudah mutakhir, tidak ada perubahan. / Regions up to date, nothing changed."
            )
            return
        for part in result.created:
            self.stdout.write(
                f"{part}: {result.created[part]} created, {result.updated[part]} updated"
            )
        self.stdout.write(self.style.SUCCESS("Wilayah dimuat. / Regions loaded."))
