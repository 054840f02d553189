"""API tokens (django-rest-knox, accounts.ApiToken): each has a name and an expiry, only its
hash is stored, and it is rotated or revoked by name; a revoked or expired token is refused
and kept for the audit."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from rest_framework.test import APIClient

from accounts import tokens
from accounts.models import ApiToken
from tests.factories import official

from .conftest import START

pytestmark = pytest.mark.django_db


def api(key=None):
    client = APIClient()
    if key:
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def works(key):
    return api(key).get("/api/v1/regencies/").status_code == 200


@pytest.fixture
def officer_session(regions, clock):
    user = official("ministry_officer", username="petugas.pusat")
    client = APIClient()
    client.force_login(user)
    return user, client


def test_a_signed_in_official_issues_a_named_token_shown_once_and_stored_hashed(officer_session):
    user, client = officer_session

    response = client.post("/api/v1/auth/tokens/", {"name": "siak-sinkron", "days": 30})

    assert response.status_code == 201
    body = response.json()
    key = body["token"]
    assert key.startswith("ektp_") and len(key) > 60
    assert body["name"] == "siak-sinkron" and body["state"] == "active"
    assert body["expiry"].startswith("2027-01-06T09:00:00")  # 30 days from 7 December
    stored = ApiToken.objects.get(user=user, name="siak-sinkron")
    assert key not in {stored.digest, stored.token_key}  # the key itself is nowhere
    assert works(key)
    listed = client.get("/api/v1/auth/tokens/").json()
    assert [t["name"] for t in listed] == ["siak-sinkron"]
    assert "token" not in listed[0]


def test_a_token_stops_working_when_it_expires_and_is_kept(officer_session, clock):
    user, _ = officer_session
    _, key = tokens.issue(user, "dasbor", days=7)
    assert works(key)

    clock.shift(dt.timedelta(days=7, seconds=1))

    response = api(key).get("/api/v1/regencies/")
    assert response.status_code == 401
    assert "expired" in response.json()["detail"]
    assert ApiToken.objects.get(user=user, name="dasbor").state() == "expired"


def test_rotation_gives_a_new_key_and_the_old_one_stops_at_once(officer_session):
    user, _ = officer_session
    _, old = tokens.issue(user, "siak-sinkron")

    response = api(old).post("/api/v1/auth/tokens/siak-sinkron/rotate/", {"days": 10})

    assert response.status_code == 201
    new = response.json()["token"]
    assert works(new)
    refused = api(old).get("/api/v1/regencies/")
    assert refused.status_code == 401 and "revoked" in refused.json()["detail"]
    assert ApiToken.objects.filter(user=user, name="siak-sinkron").count() == 2  # both kept


def test_a_revoked_token_is_refused(officer_session):
    user, client = officer_session
    _, key = tokens.issue(user, "siak-sinkron")

    assert client.delete("/api/v1/auth/tokens/siak-sinkron/").status_code == 204

    assert not works(key)
    revoked = ApiToken.objects.get(user=user, name="siak-sinkron")
    assert revoked.revoked_by == user and revoked.revoked_at is not None
    assert client.delete("/api/v1/auth/tokens/siak-sinkron/").status_code == 404


def test_only_the_whole_token_opens_the_api(officer_session):
    user, _ = officer_session
    _, key = tokens.issue(user, "siak-sinkron")
    forged = key[:-4] + ("AAAA" if not key.endswith("AAAA") else "BBBB")  # its key, not its secret

    assert works(key)
    for wrong in (forged, key[:20], "ektp_" + "0" * 60):
        answer = api(wrong).get("/api/v1/regencies/")
        assert answer.status_code == 401, wrong
    assert works(key)  # the same key, read by the same compiled query, still opens


def test_a_token_cannot_mint_tokens(officer_session):
    user, _ = officer_session
    _, key = tokens.issue(user, "siak-sinkron")

    response = api(key).post("/api/v1/auth/tokens/", {"name": "lain"})

    assert response.status_code == 403
    assert not ApiToken.objects.filter(name="lain").exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"name": "Bukan Nama"}, "name"),
        ({"name": ""}, "name"),
        ({}, "name"),
        ({"name": "siak", "days": 0}, "days"),
        ({"name": "siak", "days": 366}, "days"),
    ],
)
def test_bad_names_and_lifetimes_are_refused(officer_session, data, field):
    _, client = officer_session
    response = client.post("/api/v1/auth/tokens/", data, format="json")
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not ApiToken.objects.exists()


def test_a_live_name_is_not_silently_replaced_but_an_expired_one_is(officer_session, clock):
    user, client = officer_session
    tokens.issue(user, "siak-sinkron", days=1)

    assert client.post("/api/v1/auth/tokens/", {"name": "siak-sinkron"}).status_code == 409

    clock.shift(dt.timedelta(days=2))
    assert client.post("/api/v1/auth/tokens/", {"name": "siak-sinkron"}).status_code == 201


def test_last_use_is_noted_once_per_five_minutes(officer_session, clock, django_assert_num_queries):
    user, _ = officer_session
    token, key = tokens.issue(user, "siak-sinkron")
    works(key)
    assert ApiToken.objects.get(pk=token.pk).last_used_at == START

    clock.shift(dt.timedelta(minutes=4))
    works(key)
    assert ApiToken.objects.get(pk=token.pk).last_used_at == START
    clock.shift(dt.timedelta(minutes=2))
    works(key)
    assert ApiToken.objects.get(pk=token.pk).last_used_at == START + dt.timedelta(minutes=6)


def test_operators_issue_list_rotate_and_revoke_tokens_of_a_system_account(regions, clock):
    official("ministry_officer", username="sistem.siak")

    def run(*args):
        out = StringIO()
        call_command("api_token", *args, stdout=out)
        return out.getvalue().splitlines()

    issued = run("issue", "sistem.siak", "--name", "siak-sinkron", "--days", "30")
    assert "2027-01-06 09:00" in issued[0]
    assert works(issued[-1])
    listing = run("list")
    assert listing[0].split("\t")[:2] == ["sistem.siak", "siak-sinkron"]
    rotated = run("rotate", "sistem.siak", "--name", "siak-sinkron")
    assert works(rotated[-1]) and not works(issued[-1])
    run("revoke", "sistem.siak", "--all")
    assert not works(rotated[-1])


def test_the_account_page_issues_a_token_once_and_revokes_it(regions, clock):
    user = official("regent", "15.02")
    client = Client()
    client.force_login(user)

    page = client.post("/akun/token/", {"name": "dasbor-merangin", "days": "30"})

    assert page.status_code == 200
    key = page.context["issued"]["key"]
    assert key in page.content.decode()
    assert works(key)
    assert key not in client.get("/akun/").content.decode()  # shown once
    client.post("/akun/token/dasbor-merangin/cabut/")
    assert not works(key)
