"""The API's token check (django-rest-knox), refusing revoked and expired tokens while
keeping them for the audit, and noting when a token was last used."""

import datetime as dt

from django.utils import timezone
from knox.auth import TokenAuthentication
from rest_framework import exceptions

# One write per token per interval, not one per request.
LAST_USED_RESOLUTION = dt.timedelta(minutes=5)
REVOKED = "Token ini sudah dicabut / This token has been revoked."
EXPIRED = (
    "Token ini sudah kedaluwarsa; minta token baru / This token has expired; ask for a new one."
)


class ApiTokenAuthentication(TokenAuthentication):
    def _cleanup_token(self, auth_token):
        # knox deletes expired tokens here (and loads all of the user's tokens to do it);
        # ours stay, refused, as the record of what was issued.
        return False

    def validate_user(self, auth_token):
        now = timezone.now()
        if auth_token.revoked_at is not None:
            raise exceptions.AuthenticationFailed(REVOKED)
        if auth_token.expiry is not None and auth_token.expiry <= now:
            raise exceptions.AuthenticationFailed(EXPIRED)
        user, token = super().validate_user(auth_token)
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
            type(token).objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now
        return user, token
