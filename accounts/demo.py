"""The demo's second factor: every demo official whose office needs one has an
authenticator holding the same published key, as every demo user has the same published
password (compliance/demo.py; seed_demo refuses to run with DEBUG off unless told). Add
the key to any authenticator app, or compute the code (docs/api.md's walk-through does)."""

from base64 import b32decode

from django_otp.plugins.otp_totp.models import TOTPDevice

from .second_factor import AUTHENTICATOR, needs_second_factor

DEMO_AUTHENTICATOR_KEY = "KTPELDEMOKTPELDEMOKTPELDEMOKTPEL"  # base32, as apps take it


def on_demo_loaded(sender, users, **kwargs):
    key = b32decode(DEMO_AUTHENTICATOR_KEY).hex()
    for user in users.values():
        if needs_second_factor(user):
            TOTPDevice.objects.filter(user=user).delete()
            TOTPDevice.objects.create(user=user, name=AUTHENTICATOR, key=key, confirmed=True)
