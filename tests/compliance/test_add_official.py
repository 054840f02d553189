from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import ManagementUtility, call_command
from django.core.management.base import CommandError
from django.db import connections
from django.utils import translation
from rest_framework.test import APIClient

from accounts.models import ApiToken
from compliance.models import Office, OfficeHolding, OfficeKind
from compliance.offices import active_offices

pytestmark = pytest.mark.django_db
User = get_user_model()
PASSWORD = "Merangin-Bangkit-2017"


def add_official(*args, stdin=None):
    out = StringIO()
    kwargs = {"stdout": out}
    if stdin is not None:
        kwargs["stdin"] = StringIO(stdin)
    call_command("add_official", *args, **kwargs)
    return out.getvalue()


def counts():
    return (
        User.objects.count(),
        Office.objects.count(),
        OfficeHolding.objects.count(),
        ApiToken.objects.count(),
    )


def test_creates_a_user_holding_the_regent_seat_of_merangin():
    add_official("bupati.merangin", "--office", "regent", "--region", "15.02", "--email", "b@x.id")

    user = User.objects.get(username="bupati.merangin")
    [office] = active_offices(user)
    assert (office.kind, office.regency.code, office.title) == (
        "regent",
        "15.02",
        "Bupati Merangin",
    )
    assert not user.has_usable_password()


def test_keeps_the_official_address_of_a_head_of_region_office():
    seat = Office.objects.get(kind=OfficeKind.GOVERNOR, province__code="15")
    official_address = "gubernur@jambiprov.go.id"  # loaded: no longer the placeholder
    Office.objects.filter(pk=seat.pk).update(email=official_address)

    add_official("gub", "--office", "governor", "--region", "15", "--email", "pribadi@x.id")

    seat.refresh_from_db()
    assert seat.email == official_address
    assert User.objects.get(username="gub").email == "pribadi@x.id"


def test_fills_the_address_of_an_office_that_has_none():
    Office.objects.filter(kind=OfficeKind.REGENT, regency__code="15.09").update(email="")

    add_official("bupati.tebo", "--office", "regent", "--region", "15.09", "--email", "b@tebo.id")

    assert Office.objects.get(kind=OfficeKind.REGENT, regency__code="15.09").email == "b@tebo.id"


def test_creates_the_regency_dukcapil_head_office_with_a_readable_title():
    add_official(
        "kadis.tebo", "--office", "regency_dukcapil_head", "--region", "15.09", "--email", "k@t.id"
    )

    office = Office.objects.get(kind=OfficeKind.REGENCY_DUKCAPIL_HEAD, regency__code="15.09")
    assert office.title == "Kepala Dinas Kependudukan dan Pencatatan Sipil Kabupaten Tebo"
    assert office.province.code == "15"
    assert office.email == "k@t.id"


def test_office_titles_are_written_in_indonesian_whatever_language_is_active():
    with translation.override("en"):
        add_official("petugas1", "--office", "ministry_officer", "--email", "p1@x.id")
        add_official("menteri", "--office", "minister", "--email", "m@x.id")

    assert Office.objects.get(kind=OfficeKind.MINISTER).title == "Menteri Dalam Negeri"
    assert Office.objects.get(kind=OfficeKind.MINISTRY_OFFICER).title == (
        "Pejabat Direktorat Jenderal Kependudukan dan Pencatatan Sipil (petugas1)"
    )


def test_reads_the_password_from_stdin():
    add_official(
        "menteri", "--office", "minister", "--email", "m@x.id", "--password-stdin", stdin=PASSWORD
    )

    assert User.objects.get(username="menteri").check_password(PASSWORD)


def test_running_again_updates_the_user_without_a_second_holding():
    args = ["petugas", "--office", "ministry_officer", "--email", "old@x.id"]
    add_official(*args)
    args[-1] = "new@x.id"
    add_official(*args, "--password-stdin", stdin=PASSWORD + "\n")

    user = User.objects.get(username="petugas")
    assert user.email == "new@x.id"
    assert user.check_password(PASSWORD)
    assert OfficeHolding.objects.filter(user=user).count() == 1


def test_two_officers_hold_two_seats():
    add_official("petugas1", "--office", "ministry_officer", "--email", "p1@x.id")
    add_official("petugas2", "--office", "ministry_officer", "--email", "p2@x.id")

    assert Office.objects.filter(kind=OfficeKind.MINISTRY_OFFICER).count() == 2


def _authenticates(key):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client.get("/api/v1/auth/tokens/").status_code == 200


def test_token_is_printed_alone_on_the_last_line_and_replaces_the_earlier_one():
    """Only a token's hash is kept, so the key cannot be printed twice: a second --token
    issues a new 'cli' token and the first stops working."""
    args = ["direktur", "--office", "ministry_director", "--email", "d@x.id", "--token"]
    first = add_official(*args).splitlines()
    second = add_official(*args).splitlines()

    assert len(first) > 1  # the summary comes before it
    assert first[-1].startswith("ektp_") and second[-1] != first[-1]
    assert _authenticates(second[-1])
    assert not _authenticates(first[-1])
    live = ApiToken.objects.filter(user__username="direktur", revoked_at__isnull=True)
    assert [t.name for t in live] == ["cli"]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--office", "bupati", "--region", "15.02"], "tidak dikenal"),
        (["--office", "regent", "--region", "15.99"], "unknown regency"),
        (["--office", "governor", "--region", "99"], "unknown province"),
        (["--office", "regent"], "needs --region"),
        (["--office", "governor"], "memerlukan --region"),
        (["--office", "minister", "--region", "15"], "give no --region"),
        (["--office", "mayor", "--region", "15.02"], "is headed by a 'regent'"),
        (["--office", "regent", "--region", "15.71"], "dipimpin oleh 'mayor'"),
    ],
)
def test_refuses_a_wrong_office_or_region_and_writes_nothing(args, expected):
    before = counts()

    with pytest.raises(CommandError, match=expected) as e:
        add_official("x", *args, "--email", "x@x.id", "--token")

    assert " / " in str(e.value)  # Bahasa Indonesia / English
    assert counts() == before


def test_refuses_a_bad_email_and_writes_nothing():
    before = counts()
    with pytest.raises(CommandError, match="tidak valid / invalid e-mail"):
        add_official("x", "--office", "auditor", "--email", "not-an-address")
    assert counts() == before


@pytest.mark.parametrize("password", ["", "123"])
def test_refuses_an_empty_or_weak_password_and_writes_nothing(password):
    before = counts()
    with pytest.raises(CommandError, match="(?i)kata sandi"):
        add_official(
            "x", "--office", "auditor", "--email", "a@x.id", "--password-stdin", stdin=password
        )
    assert counts() == before


def test_exits_with_code_1_and_the_error_on_stderr(capsys, monkeypatch):
    # run_from_argv closes every connection when it ends: keep the test's transaction open.
    monkeypatch.setattr(connections, "close_all", lambda: None)
    before = counts()
    argv = ["manage.py", "add_official", "x", "--office", "regent", "--email", "x@x.id"]

    with pytest.raises(SystemExit) as e:
        ManagementUtility(argv).execute()

    assert e.value.code == 1
    captured = capsys.readouterr()
    assert "memerlukan --region" in captured.err
    assert "needs --region" in captured.err
    assert captured.out == ""
    assert counts() == before


def test_sets_the_language_of_the_offices_e_mails():
    add_official(
        "bupati.tebo",
        "--office",
        "regent",
        "--region",
        "15.09",
        "--email",
        "b@tebo.go.id",
        "--language",
        "en",
    )
    assert Office.objects.get(title="Bupati Tebo").language == "en"


def test_refuses_an_unknown_language_and_writes_nothing():
    before = counts()
    with pytest.raises(CommandError, match="unknown language"):
        add_official("x", "--office", "auditor", "--email", "x@x.id", "--language", "jv")
    assert counts() == before
