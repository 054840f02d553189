"""The API's token check (django-rest-knox), refusing revoked and expired tokens while
keeping them for the audit, and noting when a token was last used."""

import binascii
import datetime as dt
from hmac import compare_digest

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from knox.auth import TokenAuthentication
from knox.crypto import hash_token
from knox.models import get_token_model
from knox.settings import CONSTANTS, knox_settings
from rest_framework import exceptions

from compliance import compiled

# One write per token per interval, not one per request.
LAST_USED_RESOLUTION = dt.timedelta(minutes=5)
REVOKED = "Token ini sudah dicabut / This token has been revoked."
INVALID = _("Invalid token.")  # knox's words, in its translations
EXPIRED = (
    "Token ini sudah kedaluwarsa; minta token baru / This token has expired; ask for a new one."
)


class ApiTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, token):
        """knox's own check, its query compiled once (compliance.compiled: building it
        cost more than running it, on every request of the API), without knox's clean-up
        (it deletes expired tokens, loading all of the user's to do it): ours stay,
        refused by validate_user(), as the record of what was issued."""
        text = token.decode("utf-8")
        key = text[: CONSTANTS.TOKEN_KEY_LENGTH]
        for auth_token in compiled.read("accounts.authentication.tokens", _tokens, key):
            try:
                digest = hash_token(text)
            except (TypeError, binascii.Error):
                raise exceptions.AuthenticationFailed(INVALID) from None
            if compare_digest(digest, auth_token.digest):
                if knox_settings.AUTO_REFRESH and auth_token.expiry:
                    self.renew_token(auth_token)
                return self.validate_user(auth_token)
        raise exceptions.AuthenticationFailed(INVALID)

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


def _tokens(key):
    return get_token_model().objects.filter(token_key=key).select_related("user")
