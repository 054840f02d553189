import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

WIB = ZoneInfo("Asia/Jakarta")
START = dt.datetime(2026, 12, 7, 9, 0, tzinfo=WIB)
PASSWORD = "rahasia-Uji-123"  # tests.factories.official's


@pytest.fixture
def clock(time_machine):
    """A fixed instant: TOTP codes are the clock's, and the same code is taken only once."""
    time_machine.move_to(START, tick=False)
    return time_machine


def authenticator_for(user):
    return TOTPDevice.objects.create(user=user, name="aplikasi-autentikator", confirmed=True)


def code(device):
    """The code the user's phone shows now (six digits, zero-padded)."""
    device.refresh_from_db()
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def sign_in(client, user, password=PASSWORD, next_url=None):
    data = {"username": user.username, "password": password}
    path = "/masuk/" + (f"?next={next_url}" if next_url else "")
    return client.post(path, data)
