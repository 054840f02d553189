import sys

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from compliance.errors import InvalidInput
from compliance.models import OfficeKind
from compliance.offices import appoint_official


class Command(BaseCommand):
    help = (
        "Buat atau perbarui pengguna pemangku jabatan (jabatan = --office, wilayah = --region). "
        "/ Create or update a user holding an office over a region."
    )
    # Tests pass stdin=StringIO(...) through call_command.
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--office", required=True, metavar="KIND", help=", ".join(OfficeKind.values)
        )
        parser.add_argument(
            "--region",
            default=None,
            metavar="CODE",
            help="provinsi '15' atau kabupaten/kota '15.02' / "
            "province '15' or regency or city '15.02'",
        )
        parser.add_argument(
            "--email",
            required=True,
            metavar="ADDRESS",
            help="surel pengguna; juga surel jabatan bila jabatan belum punya atau masih "
            "alamat bawaan (@OFFICE_EMAIL_DOMAIN) / the user's e-mail; the office's too when "
            "it has none or still the generated placeholder (@OFFICE_EMAIL_DOMAIN)",
        )
        parser.add_argument(
            "--office-email",
            default=None,
            metavar="ADDRESS",
            help="surel resmi jabatan, tujuan notifikasi / the office's official address, "
            "where its notifications go",
        )
        parser.add_argument(
            "--password-stdin",
            action="store_true",
            help="baca kata sandi dari stdin / read the password from stdin",
        )
        parser.add_argument(
            "--language",
            default=None,
            metavar="id|en",
            help="bahasa surel jabatan / the language of the office's e-mails",
        )
        parser.add_argument(
            "--token",
            action="store_true",
            help="cetak token API bernama 'cli' (yang lama dicabut) pada baris terakhir / print "
            "an API token named 'cli' (replacing an earlier one) on the last line",
        )

    def handle(self, *args, **options):
        password = self._read_password(options) if options["password_stdin"] else None
        try:
            with transaction.atomic():
                user, office, holding = appoint_official(
                    username=options["username"],
                    kind=options["office"],
                    region_code=options["region"],
                    email=options["email"],
                    office_email=options["office_email"],
                    password=password,
                    language=options["language"],
                )
                token = self._token(user) if options["token"] else None
        except InvalidInput as e:
            raise CommandError(e.detail) from None
        self.stdout.write(
            f"{user.username}: {office.title} <{office.email}> "
            f"(sejak/since {holding.starts_on:%Y-%m-%d})"
        )
        if token:
            self.stdout.write(token)

    def _read_password(self, options):
        stream = options.get("stdin") or sys.stdin
        password = stream.readline().rstrip("\r\n")
        if not password:
            raise CommandError(
                "Kata sandi kosong pada stdin / no password on stdin (--password-stdin)"
            )
        try:
            validate_password(password, user=self._future_user(options))
        except ValidationError as e:
            raise CommandError(
                "Kata sandi ditolak / password rejected: " + " ".join(e.messages)
            ) from None
        return password

    def _future_user(self, options):
        """The user as it will be saved, unsaved: the existing one or a new one, with the
        username and e-mail given, so that the similarity validator compares the password
        with them before anything is written."""
        model = get_user_model()
        user = model.objects.filter(username=options["username"]).first()
        if user is None:
            user = model(username=options["username"])
        user.email = options["email"]
        return user

    def _token(self, user):
        from accounts.tokens import issue

        _, key = issue(user, "cli", replace=True)
        return key
