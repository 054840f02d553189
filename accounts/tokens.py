"""API tokens: issued under a name, for a limited time, rotated and revoked by name.

A person issues tokens for himself from a session signed in with every factor he needs;
an operator issues them for any account (system accounts included) with `manage.py
api_token`. The key is returned once and never stored, only its hash."""

import datetime as dt
import re

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from compliance.errors import Conflict, InvalidInput, NotFound

from .messages import Message
from .models import ApiToken

NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,99}$")
NAME_RULE = (
    "huruf kecil, angka, titik, garis bawah atau tanda hubung, paling banyak 100 karakter / "
    "lower-case letters, digits, dots, underscores or hyphens, at most 100 characters"
)


def max_days():
    return settings.API_TOKEN_MAX_DAYS


def _lifetime(days):
    days = settings.API_TOKEN_DAYS if days is None else days
    if not 1 <= days <= max_days():
        raise InvalidInput(
            Message("token_days", max_days=max_days()),
            errors={"days": [f"1..{max_days()}"]},
        )
    return dt.timedelta(days=days)


def _check_name(name):
    if not NAME.match(name or ""):
        raise InvalidInput(
            Message("token_name_invalid", name=repr(name)),
            errors={"name": [NAME_RULE]},
        )


def live_tokens(user):
    """The user's tokens that are neither revoked (expired ones included, marked)."""
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).order_by("name")


def _live(user, name):
    return live_tokens(user).select_for_update().filter(name=name).first()


def issue(user, name, *, days=None, by=None, replace=False):
    """A new token `name` for `user`: (ApiToken, key). An active token of that name is a
    conflict unless `replace` (rotation); an expired one is retired silently."""
    _check_name(name)
    lifetime = _lifetime(days)
    with transaction.atomic():
        current = _live(user, name)
        if current is not None:
            if current.state() == "active" and not replace:
                raise Conflict(
                    Message(
                        "token_still_valid",
                        name=name,
                        expiry=f"{current.expiry:%Y-%m-%d %H:%M %Z}",
                    )
                )
            _retire(current, by)
        token, key = ApiToken.objects.create(user=user, expiry=lifetime, name=name, issued_by=by)
    return token, key


def rotate(user, name, *, days=None, by=None):
    """Replace the live token `name` by a new one (the old key stops working at once)."""
    with transaction.atomic():
        if _live(user, name) is None:
            raise _not_found(user, name)
        return issue(user, name, days=days, by=by, replace=True)


def revoke(user, name, *, by=None):
    with transaction.atomic():
        current = _live(user, name)
        if current is None:
            raise _not_found(user, name)
        _retire(current, by)
    return current


def revoke_all(user, *, by=None):
    """Every live token of the user (a person leaving office, a key that leaked)."""
    return live_tokens(user).update(revoked_at=timezone.now(), revoked_by=by)


def _retire(token, by):
    token.revoked_at = timezone.now()
    token.revoked_by = by
    token.save(update_fields=["revoked_at", "revoked_by"])


def _not_found(user, name):
    return NotFound(Message("token_not_found", name=name, user=str(user)))


def days_left(token, now=None):
    if token.expiry is None:
        return None
    return max(0, (token.expiry - (now or timezone.now())).days)
