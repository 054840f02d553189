"""How a test calls the API as a given user: the Authorization header of a token issued
for the test."""

from accounts import tokens


def token_header(user, name="uji"):
    """The value of the Authorization header for a fresh token `name` of `user`."""
    _, key = tokens.issue(user, name, replace=True)
    return f"Token {key}"
