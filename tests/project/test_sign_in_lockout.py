"""Sign-in that can't be guessed (django-axes): after AXES_FAILURE_LIMIT wrong passwords in
a row an account is locked on every password sign-in (the pages, the API's session login,
the admin): even the right password is refused, unchecked, until the cool-off has passed,
and the answer says until when. Locked per account: a colleague behind the same address
signs in."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from axes.models import AccessFailureLog, AccessLog
from django.contrib.auth import get_user_model
from django.test import Client

pytestmark = pytest.mark.django_db

WIB = ZoneInfo("Asia/Jakarta")
START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=WIB)
PASSWORD = "benar-sekali-2026"
SIGN_INS = ["/masuk/", "/api/v1/auth/login/", "/admin/login/"]


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(START, tick=False)
    return time_machine


@pytest.fixture(autouse=True)
def lockout(settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_COOLOFF_TIME = dt.timedelta(minutes=30)


def staff(username):
    """Staff, so that the admin's sign-in accepts them too."""
    return get_user_model().objects.create_user(username, password=PASSWORD, is_staff=True)


def sign_in(client, path, username, password):
    return client.post(path, {"username": username, "password": password})


def signed_in(client):
    return "_auth_user_id" in client.session


def lock(client, path, username):
    for _ in range(3):
        response = sign_in(client, path, username, "salah")
    return response


@pytest.mark.parametrize("path", SIGN_INS)
def test_the_right_password_is_refused_once_the_account_is_locked(clock, path):
    staff("operator.pusat")
    client = Client()
    assert lock(client, path, "operator.pusat").status_code == 429

    response = sign_in(client, path, "operator.pusat", PASSWORD)

    assert response.status_code == 429
    assert response["Retry-After"] == "1800"
    assert not signed_in(client)


@pytest.mark.parametrize("path", ["/masuk/", "/admin/login/"])
def test_the_sign_in_page_says_until_when_in_indonesian_then_english(clock, path):
    staff("operator.pusat")
    client = Client()
    lock(client, path, "operator.pusat")

    page = sign_in(client, path, "operator.pusat", PASSWORD).content.decode()

    indonesian = page.index("Akun ini dikunci")
    english = page.index("This account is locked")
    assert indonesian < english
    assert "2 Maret 2026, 9.30 WIB (30 menit)" in page[indonesian:english]
    assert "March 2, 2026, 9:30 a.m. WIB (30 minutes)" in page[english:]


def test_the_api_login_answers_problem_details_with_the_end_of_the_lock(clock):
    staff("operator.pusat")
    client = Client()
    lock(client, "/api/v1/auth/login/", "operator.pusat")

    response = sign_in(client, "/api/v1/auth/login/", "operator.pusat", PASSWORD)

    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert (body["status"], body["title"]) == (429, "Akun dikunci / Account locked")
    assert body["locked_until"] == "2026-03-02T02:30:00+00:00"
    indonesian, english = body["detail"].split(" / ")
    assert indonesian.startswith("Akun ini dikunci")
    assert indonesian.endswith("setelah 2 Maret 2026, 9.30 WIB (30 menit).")
    assert english.endswith("after March 2, 2026, 9:30 a.m. WIB (30 minutes).")


@pytest.mark.parametrize("path", SIGN_INS)
def test_a_colleague_behind_the_same_address_still_signs_in(clock, path):
    staff("operator.pusat")
    staff("operator.jambi")
    lock(Client(), path, "operator.pusat")

    colleague = Client()  # the same REMOTE_ADDR, 127.0.0.1
    response = sign_in(colleague, path, "operator.jambi", PASSWORD)

    assert response.status_code == 302
    assert signed_in(colleague)


@pytest.mark.parametrize("path", SIGN_INS)
def test_after_the_cool_off_the_right_password_works_again(clock, path):
    staff("operator.pusat")
    client = Client()
    lock(client, path, "operator.pusat")

    clock.shift(dt.timedelta(minutes=30, seconds=1))
    response = sign_in(client, path, "operator.pusat", PASSWORD)

    assert response.status_code == 302
    assert signed_in(client)


def test_a_try_during_the_lock_starts_the_cool_off_again(clock):
    staff("operator.pusat")
    client = Client()
    lock(client, "/masuk/", "operator.pusat")

    clock.shift(dt.timedelta(minutes=29))
    assert sign_in(client, "/masuk/", "operator.pusat", PASSWORD).status_code == 429
    clock.shift(dt.timedelta(minutes=2))  # 31 minutes after the lock, 2 after the last try
    assert sign_in(client, "/masuk/", "operator.pusat", PASSWORD).status_code == 429

    clock.shift(dt.timedelta(minutes=30, seconds=1))
    assert sign_in(client, "/masuk/", "operator.pusat", PASSWORD).status_code == 302


def test_wrong_passwords_below_the_limit_are_forgotten_after_a_sign_in(clock):
    staff("operator.pusat")
    client = Client()
    for _ in range(2):
        sign_in(client, "/masuk/", "operator.pusat", "salah")
    assert sign_in(client, "/masuk/", "operator.pusat", PASSWORD).status_code == 302
    client.logout()

    for _ in range(2):
        assert sign_in(client, "/masuk/", "operator.pusat", "salah").status_code == 200
    assert sign_in(client, "/masuk/", "operator.pusat", PASSWORD).status_code == 302


def test_every_failure_and_sign_in_is_kept_for_the_auditors(clock):
    staff("operator.pusat")
    client = Client()
    sign_in(client, "/masuk/", "operator.pusat", "salah")
    sign_in(client, "/masuk/", "operator.pusat", PASSWORD)

    [failure] = AccessFailureLog.objects.all()
    assert (failure.username, failure.path_info, failure.locked_out) == (
        "operator.pusat",
        "/masuk/",
        False,
    )
    [success] = AccessLog.objects.all()
    assert (success.username, success.attempt_time) == ("operator.pusat", START)
