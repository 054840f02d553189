"""How a test calls the API as a given user: the Authorization header of a token issued
for the test."""

from rest_framework.authtoken.models import Token


def token_header(user):
    """The value of the Authorization header for a fresh token of `user`."""
    token, _ = Token.objects.get_or_create(user=user)
    return f"Token {token.key}"
