"""add_official and the office's address: --office-email sets it; --email sets it too for
a seat one person holds while the seat has only its generated placeholder. A real address
stays, and officers, directors and auditors keep the address of their own seat."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.management.commands.add_official import Command
from compliance.models import Office, OfficeHolding, OfficeKind
from compliance.offices import appoint_official

pytestmark = pytest.mark.django_db
User = get_user_model()


def add_official(*args):
    out = StringIO()
    call_command("add_official", *args, stdout=out)
    return out.getvalue()


def seat(kind, code):
    region = {"province__code": code} if "." not in code else {"regency__code": code}
    return Office.objects.get(kind=kind, **region)


def test_the_regents_address_replaces_the_placeholder_of_his_seat():
    assert seat(OfficeKind.REGENT, "15.09").email == "bupati.tebo@pemda.example.go.id"

    out = add_official(
        "bupati.tebo", "--office", "regent", "--region", "15.09", "--email", "bupati@tebo.go.id"
    )

    assert seat(OfficeKind.REGENT, "15.09").email == "bupati@tebo.go.id"
    assert User.objects.get(username="bupati.tebo").email == "bupati@tebo.go.id"
    assert "Bupati Tebo <bupati@tebo.go.id>" in out


def test_office_email_sets_the_offices_address_and_email_stays_the_users():
    add_official(
        "gubernur.jambi",
        "--office",
        "governor",
        "--region",
        "15",
        "--email",
        "pribadi@x.id",
        "--office-email",
        "gubernur@jambiprov.go.id",
    )

    assert seat(OfficeKind.GOVERNOR, "15").email == "gubernur@jambiprov.go.id"
    assert User.objects.get(username="gubernur.jambi").email == "pribadi@x.id"


def test_office_email_replaces_a_real_address_too():
    Office.objects.filter(title="Wali Kota Jambi").update(email="lama@jambikota.go.id")

    add_official(
        "walikota.jambi",
        "--office",
        "mayor",
        "--region",
        "15.71",
        "--email",
        "w@x.id",
        "--office-email",
        "walikota@jambikota.go.id",
    )

    assert seat(OfficeKind.MAYOR, "15.71").email == "walikota@jambikota.go.id"


def test_a_real_address_stays_when_only_email_is_given():
    Office.objects.filter(title="Wali Kota Jambi").update(email="walikota@jambikota.go.id")

    add_official("walikota.jambi", "--office", "mayor", "--region", "15.71", "--email", "w@x.id")

    assert seat(OfficeKind.MAYOR, "15.71").email == "walikota@jambikota.go.id"


def test_the_placeholder_is_an_address_in_the_configured_domain(settings):
    # Under another OFFICE_EMAIL_DOMAIN the seat's address is not the placeholder any more.
    settings.OFFICE_EMAIL_DOMAIN = "daerah.example.go.id"

    add_official("bupati.tebo", "--office", "regent", "--region", "15.09", "--email", "b@x.id")

    assert seat(OfficeKind.REGENT, "15.09").email == "bupati.tebo@pemda.example.go.id"


def test_an_officers_own_seat_keeps_the_address_it_was_given_first():
    add_official("petugas", "--office", "ministry_officer", "--email", "lama@x.id")
    add_official("petugas", "--office", "ministry_officer", "--email", "baru@x.id")

    office = OfficeHolding.objects.get(user__username="petugas").office
    assert office.email == "lama@x.id"
    assert User.objects.get(username="petugas").email == "baru@x.id"


def test_an_officers_own_seat_takes_office_email():
    add_official(
        "auditor", "--office", "auditor", "--email", "a@x.id", "--office-email", "itjen@x.id"
    )

    assert OfficeHolding.objects.get(user__username="auditor").office.email == "itjen@x.id"


def test_the_rule_is_the_services_whoever_appoints():
    _, office, _ = appoint_official(
        username="bupati.merangin", kind="regent", region_code="15.02", email="b@merangin.go.id"
    )

    assert office.email == "b@merangin.go.id"


def test_refuses_a_bad_office_email_naming_the_option_and_writes_nothing():
    before = (User.objects.count(), OfficeHolding.objects.count())

    with pytest.raises(CommandError) as e:
        add_official(
            "bupati.tebo",
            "--office",
            "regent",
            "--region",
            "15.09",
            "--email",
            "b@tebo.go.id",
            "--office-email",
            "bukan-alamat",
        )

    message = str(e.value)
    assert message.startswith("Alamat surel --office-email 'bukan-alamat' tidak valid / ")
    assert "invalid e-mail address for --office-email" in message
    assert (User.objects.count(), OfficeHolding.objects.count()) == before
    assert seat(OfficeKind.REGENT, "15.09").email == "bupati.tebo@pemda.example.go.id"


def test_a_bad_email_error_names_its_option():
    with pytest.raises(CommandError, match="--email 'x@' tidak valid / .* for --email"):
        add_official("x", "--office", "auditor", "--email", "x@")


def test_the_help_states_office_email_in_both_languages():
    text = Command().create_parser("manage.py", "add_official").format_help()
    flat = " ".join(text.split())

    assert "--office-email ADDRESS" in flat
    assert "surel resmi jabatan, tujuan notifikasi / the office's official address" in flat
    assert "placeholder (@OFFICE_EMAIL_DOMAIN)" in flat
