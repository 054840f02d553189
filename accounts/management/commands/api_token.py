from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from accounts import tokens
from compliance.errors import DomainError


class Command(BaseCommand):
    help = (
        "Token API bernama untuk sebuah akun (orang atau sistem): issue, rotate, revoke, "
        "list. Kunci dicetak sekali pada baris terakhir. / Named API tokens for an account "
        "(a person or a system): issue, rotate, revoke, list. The key is printed once, on "
        "the last line."
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        for action in ("issue", "rotate"):
            p = actions.add_parser(action)
            p.add_argument("username")
            p.add_argument("--name", required=True, help="e.g. siak-sinkron")
            p.add_argument("--days", type=int, default=None, help="bawaan/default API_TOKEN_DAYS")
        p = actions.add_parser("revoke")
        p.add_argument("username")
        target = p.add_mutually_exclusive_group(required=True)
        target.add_argument("--name")
        target.add_argument("--all", action="store_true", help="semua / every live token")
        p = actions.add_parser("list")
        p.add_argument("username", nargs="?")

    def handle(self, *args, action, **options):
        try:
            getattr(self, f"_{action}")(**options)
        except DomainError as e:
            raise CommandError(e.detail) from None

    def _user(self, username):
        try:
            return get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"Pengguna tidak ada / no such user: {username}") from None

    def _issue(self, username, name, days, **_):
        self._print_key(*tokens.issue(self._user(username), name, days=days))

    def _rotate(self, username, name, days, **_):
        self._print_key(*tokens.rotate(self._user(username), name, days=days))

    def _print_key(self, token, key):
        self.stdout.write(
            f"{token.user}: {token.name}, berlaku sampai/valid until "
            f"{timezone.localtime(token.expiry):%Y-%m-%d %H:%M %Z}"
        )
        self.stdout.write(key)

    def _revoke(self, username, name, all, **_):
        user = self._user(username)
        if all:
            count = tokens.revoke_all(user)
            self.stdout.write(f"{user}: {count} token dicabut / revoked")
        else:
            tokens.revoke(user, name)
            self.stdout.write(f"{user}: {name} dicabut / revoked")

    def _list(self, username, **_):
        from accounts.models import ApiToken

        rows = ApiToken.objects.filter(revoked_at__isnull=True).select_related("user")
        if username:
            rows = rows.filter(user=self._user(username))
        now = timezone.now()
        for t in rows.order_by("user__username", "name"):
            used = f"{timezone.localtime(t.last_used_at):%Y-%m-%d %H:%M}" if t.last_used_at else "-"
            self.stdout.write(
                f"{t.user}\t{t.name}\t{t.token_key}…\t{t.state(now)}\t"
                f"{timezone.localtime(t.expiry):%Y-%m-%d %H:%M}\t{used}"
            )
