from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from accounts import second_factor


class Command(BaseCommand):
    help = (
        "Faktor kedua: 'status USERNAME' atau 'reset USERNAME' (ponsel hilang: pengguna "
        "mendaftarkan autentikator baru saat masuk berikutnya) / second factor: 'status' or "
        "'reset' (a lost phone: the user enrols a new authenticator at his next sign-in)."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["status", "reset"])
        parser.add_argument("username")

    def handle(self, *args, action, username, **options):
        try:
            user = get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"Pengguna tidak ada / no such user: {username}") from None
        if action == "reset":
            second_factor.reset(user)
            self.stdout.write(
                f"{user}: autentikator dan kode pemulihan dihapus / authenticator and "
                "recovery codes removed"
            )
            return
        device = second_factor.authenticator(user)
        self.stdout.write(
            f"{user}: wajib/required={'ya/yes' if second_factor.needs_second_factor(user) else 'tidak/no'}, "
            f"autentikator/authenticator={'ya/yes' if device else 'tidak/no'}, "
            f"kode pemulihan/recovery codes={second_factor.recovery_codes_left(user)}"
        )
