"""The second factor (TOTP, django-otp): the offices that cut a regency's access, reconnect
it, sign written warnings, and whoever administers users, give a code from an authenticator
app after their password. Until they do, their session reaches nothing but the pages that
take the code: pages redirect there, the API answers 403, the admin too."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.second_factor import needs_second_factor
from compliance.offices import appoint_official
from tests.factories import official

from .conftest import authenticator_for, code, sign_in

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("kind", "region", "needed"),
    [
        ("ministry_director", None, True),  # approves suspensions, reconnects
        ("director_general", None, True),
        ("minister", None, True),  # signs governors' warnings
        ("governor", "15", True),  # signs regents' and mayors' warnings (GWPP)
        ("ministry_officer", None, False),  # flags and requests, decides nothing of the kind
        ("provincial_dukcapil_head", "15", False),
        ("regent", "15.02", False),
        ("regency_dukcapil_head", "15.02", False),
        ("auditor", None, False),
    ],
)
def test_who_must_give_a_second_factor(regions, kind, region, needed):
    assert needs_second_factor(official(kind, region)) is needed


def test_an_acting_governor_and_a_staff_member_must_too(regions):
    assert needs_second_factor(official("governor", "15", acting=True))
    assert needs_second_factor(
        get_user_model().objects.create_user("admin.pusat", password="x", is_staff=True)
    )


def test_a_director_signs_in_with_the_code_from_his_authenticator(regions, clock):
    director = official("ministry_director")
    phone = authenticator_for(director)
    client = Client()

    response = sign_in(client, director, next_url="/console/")
    assert response.status_code == 302
    asked = client.get("/console/")
    assert asked.status_code == 302
    assert asked["Location"] == "/masuk/kode/?next=%2Fconsole%2F"

    given = client.post("/masuk/kode/", {"code": code(phone), "next": "/console/"})

    assert given.status_code == 302 and given["Location"] == "/console/"
    assert client.get("/console/").status_code == 200


def test_until_the_code_is_given_the_session_reaches_nothing(regions, clock):
    director = get_user_model().objects.create_user("direktur.pusat", password="x", is_staff=True)
    appoint_official(
        username="direktur.pusat", kind="ministry_director", region_code=None, email="d@x.id"
    )
    authenticator_for(director)
    client = Client()
    sign_in(client, director, password="x")

    for path in ["/", "/console/", "/console/approvals/", "/admin/", "/akun/"]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/masuk/kode/?next="), path
    api = client.post("/api/v1/suspension-requests/1/approve/", {}, content_type="application/json")
    assert api.status_code == 403
    assert api["Content-Type"] == "application/problem+json"
    assert api.json()["type"] == "urn:ektp-compliance:problem:second-factor-required"
    assert client.get("/masuk/kode/").status_code == 200
    assert client.post("/keluar/").status_code == 302  # signing out stays open
    assert "_auth_user_id" not in client.session


def test_a_wrong_code_is_refused_and_the_next_try_must_wait(regions, clock):
    director = official("ministry_director")
    phone = authenticator_for(director)
    client = Client()
    sign_in(client, director)

    wrong = client.post("/masuk/kode/", {"code": "000000"})
    assert wrong.status_code == 200
    assert "Kode salah" in wrong.content.decode()

    # django-otp's throttle: after one failure the next try waits 1 s (then 2, 4, ...):
    # even the right code is refused before then, and the page says until when.
    hasty = client.post("/masuk/kode/", {"code": code(phone)})
    assert hasty.status_code == 200
    assert "Terlalu banyak kode salah" in hasty.content.decode()
    assert "09:00:01 WIB" in hasty.content.decode()

    clock.shift(dt.timedelta(seconds=30))  # a new 30-second step, a new code
    assert client.post("/masuk/kode/", {"code": code(phone)}).status_code == 302


def test_a_code_is_taken_once(regions, clock):
    director = official("ministry_director")
    phone = authenticator_for(director)
    first, second = Client(), Client()
    sign_in(first, director)
    sign_in(second, director)
    seen = code(phone)

    assert first.post("/masuk/kode/", {"code": seen}).status_code == 302
    assert second.post("/masuk/kode/", {"code": seen}).status_code == 200  # replayed


def test_the_first_sign_in_enrols_an_authenticator_and_gives_ten_recovery_codes(regions, clock):
    director = official("ministry_director")
    client = Client()
    sign_in(client, director)

    asked = client.get("/console/")
    assert asked["Location"] == "/masuk/kode/daftar/?next=%2Fconsole%2F"
    page = client.get(asked["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert "<svg" in html  # the QR code, drawn in the page (no script, no external image)
    pending = TOTPDevice.objects.get(user=director)
    assert not pending.confirmed
    # Reloading keeps the secret the phone may already have read.
    client.get(asked["Location"])
    assert TOTPDevice.objects.get(user=director).key == pending.key

    done = client.post("/masuk/kode/daftar/", {"code": code(pending), "next": "/console/"})

    assert done.status_code == 200
    codes = done.context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    assert TOTPDevice.objects.get(user=director).confirmed
    assert client.get("/console/").status_code == 200  # this session is verified


def test_enrolment_refuses_a_wrong_code_and_confirms_nothing(regions, clock):
    director = official("ministry_director")
    client = Client()
    sign_in(client, director)
    client.get("/masuk/kode/daftar/")

    response = client.post("/masuk/kode/daftar/", {"code": "123456"})

    assert response.status_code == 200
    assert not TOTPDevice.objects.get(user=director).confirmed
    assert client.get("/console/").status_code == 302


def test_a_recovery_code_signs_in_once(regions, clock):
    director = official("ministry_director")
    authenticator_for(director)
    codes = _recovery_codes(director)

    client = Client()
    sign_in(client, director)
    used = client.post("/masuk/kode/", {"code": codes[0].upper(), "next": "/console/"}, follow=True)
    assert used.redirect_chain[0] == ("/console/", 302)
    assert "9 kode pemulihan tersisa" in used.content.decode()

    again = Client()
    sign_in(again, director)
    assert again.post("/masuk/kode/", {"code": codes[0]}).status_code == 200
    assert StaticToken.objects.filter(device__user=director).count() == 9


def _recovery_codes(user):
    from accounts.second_factor import new_recovery_codes

    return new_recovery_codes(user)


def test_new_recovery_codes_replace_the_old_ones(regions, clock):
    director = official("ministry_director")
    old = _recovery_codes(director)
    client = Client()
    client.force_login(director)  # both factors (tests/conftest.py)

    response = client.post("/akun/kode-pemulihan/")

    new = response.context["codes"]
    assert set(new).isdisjoint(old)
    assert set(
        StaticToken.objects.filter(device__user=director).values_list("token", flat=True)
    ) == set(new)


def test_a_regent_signs_in_with_his_password_alone(regions, clock):
    regent = official("regent", "15.02")
    client = Client()
    sign_in(client, regent)
    assert client.get("/inbox/").status_code == 200


def test_someone_who_chose_an_authenticator_is_asked_for_it(regions, clock):
    regent = official("regent", "15.02")
    phone = authenticator_for(regent)
    client = Client()
    sign_in(client, regent)
    assert client.get("/inbox/").status_code == 302
    client.post("/masuk/kode/", {"code": code(phone)})
    assert client.get("/inbox/").status_code == 200


def test_appointed_plt_governor_during_his_session_is_asked_within_five_minutes(regions, clock):
    head = official("provincial_dukcapil_head", "15")
    client = Client()
    sign_in(client, head)
    assert client.get("/").status_code == 302  # home sends him to his page
    assert client.get("/console/").status_code == 200

    appoint_official(
        username=head.username, kind="governor", region_code="15", email="p@x.id", acting=True
    )
    clock.shift(dt.timedelta(minutes=5, seconds=1))

    response = client.get("/console/")
    assert response.status_code == 302
    assert response["Location"].startswith("/masuk/kode/daftar/")


def test_the_api_with_a_token_is_the_tokens_business(regions, clock):
    from tests.api_tokens import token_header

    director = official("ministry_director")
    authenticator_for(director)
    client = Client()
    sign_in(client, director)  # a session owing its code, and a token besides

    response = client.get("/api/v1/regencies/", HTTP_AUTHORIZATION=token_header(director))

    assert response.status_code == 200


def test_reset_forgets_the_authenticator_and_the_next_sign_in_enrols_a_new_one(regions, clock):
    director = official("ministry_director")
    authenticator_for(director)
    _recovery_codes(director)

    call_command("second_factor", "reset", director.username)

    assert not TOTPDevice.objects.filter(user=director).exists()
    assert not StaticToken.objects.filter(device__user=director).exists()
    client = Client()
    sign_in(client, director)
    assert client.get("/console/")["Location"].startswith("/masuk/kode/daftar/")


def test_replacing_the_authenticator_needs_the_old_one_first(regions, clock):
    director = official("ministry_director")
    authenticator_for(director)
    client = Client()
    sign_in(client, director)

    response = client.get("/masuk/kode/daftar/")

    assert response.status_code == 302
    assert response["Location"].startswith("/masuk/kode/?next=")
    assert TOTPDevice.objects.filter(user=director).count() == 1  # no second one made
