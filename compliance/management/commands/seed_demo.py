from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

from compliance import demo


class Command(BaseCommand):
    help = (
        "Muat data demo Jambi 2017 (Merangin dan Tebo) dan pengguna demo; aman diulang. "
        "/ Load the 2017 Jambi demo and its users; safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="muat walau DEBUG mati / load even with DEBUG off (the password is public)",
        )

    def handle(self, *args, **options):
        if demo.is_loaded():
            self.stdout.write(
                "Data demo sudah ada, tidak ada perubahan. / Demo data already loaded, nothing changed."
            )
            return
        if not settings.DEBUG and not options["allow_production"]:
            raise CommandError(
                "DEBUG mati: data demo memakai kata sandi yang diketahui umum; tambahkan "
                "--allow-production bila memang dikehendaki / DEBUG is off: the demo users "
                "have a public password; pass --allow-production if you mean it"
            )
        if reason := demo.blocking_data():
            self.stdout.write(
                self.style.WARNING(
                    "Data demo tidak dimuat: basis data sudah berisi data lain. / "
                    f"Demo not loaded: {reason}."
                )
            )
            return
        try:
            # One process writes the whole story, whose later steps read what workflow
            # made of the earlier ones: workflow follows the log in this thread.
            with override_settings(AFTER_COMMIT_WORK="inline"):
                result = demo.load_demo()
        except LookupError as e:
            raise CommandError(
                f"Wilayah belum dimuat (python manage.py load_regions) / {e}"
            ) from None
        self._report(result)

    def _report(self, result):
        self.stdout.write(
            self.style.SUCCESS("Data demo Jambi 2017 dimuat. / Jambi 2017 demo loaded.")
        )
        for code, days in result.downtime_days.items():
            self.stdout.write(
                f"  {code}: {days} hari akses SIAK diputus / days of network downtime"
            )
        self.stdout.write("")
        width = max(len(u) for u, _ in result.users)
        office_width = max(len(o) for _, o in result.users)
        header = f"{'username':<{width}}  {'jabatan / office':<{office_width}}  password"
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        for username, office in result.users:
            self.stdout.write(
                f"{username:<{width}}  {office:<{office_width}}  {demo.DEMO_PASSWORD}"
            )
