from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from compliance.errors import InvalidInput
from compliance.models import Office, OfficeHolding, OfficeKind, Regency
from compliance.offices import (
    active_offices,
    appoint_official,
    ensure_head_of_region_offices,
    head_of_regency_office,
)
from tests.factories import regency

pytestmark = pytest.mark.django_db
WIB = ZoneInfo("Asia/Jakarta")
HEADS = [OfficeKind.GOVERNOR, OfficeKind.REGENT, OfficeKind.MAYOR]


def appoint(username, kind, region=None, **kwargs):
    kwargs.setdefault("email", f"{username}@x.go.id")
    return appoint_official(username=username, kind=kind, region_code=region, **kwargs)


def test_every_region_has_its_head_office_with_an_address():
    seats = Office.objects.filter(kind__in=HEADS)

    assert seats.filter(kind=OfficeKind.GOVERNOR).count() == 38
    assert seats.filter(kind=OfficeKind.REGENT).count() == 416
    assert seats.filter(kind=OfficeKind.MAYOR).count() == 98
    assert not seats.filter(email="").exists()
    assert head_of_regency_office(regency("15.02")).email.startswith("bupati.merangin@")
    assert head_of_regency_office(regency("15.72")).title == "Wali Kota Sungai Penuh"


def test_creating_head_offices_again_adds_nothing_and_keeps_changed_addresses():
    Office.objects.filter(kind=OfficeKind.REGENT, regency__code="15.09").update(email="a@tebo.id")

    assert ensure_head_of_region_offices() == 0

    assert Office.objects.filter(kind__in=HEADS).count() == 552
    assert head_of_regency_office(regency("15.09")).email == "a@tebo.id"


def test_a_missing_head_office_is_recreated():
    Office.objects.filter(kind=OfficeKind.MAYOR, regency__code="15.71").delete()

    assert ensure_head_of_region_offices() == 1
    assert head_of_regency_office(regency("15.71")).title == "Wali Kota Jambi"


def test_appointing_to_a_head_seat_uses_the_existing_office():
    user, office, holding = appoint("bupati.tebo", "regent", "15.09")

    assert office == head_of_regency_office(regency("15.09"))
    assert office.email == "bupati.tebo@x.go.id"  # his address replaces the placeholder
    assert holding.starts_on == timezone.localdate()
    assert not holding.acting


def test_an_acting_holder_shares_the_seat_and_its_powers():
    _, definitive, _ = appoint("bupati.merangin", "regent", "15.02")
    plt, office, holding = appoint("plt.bupati", "regent", "15.02", acting=True)

    assert office == definitive
    assert holding.acting
    assert active_offices(plt) == [office]
    assert str(holding).startswith("Plt. Bupati Merangin")


def test_holdings_are_active_only_between_their_dates():
    user, office, _ = appoint("kadis", "regency_dukcapil_head", "15.02", starts_on=date(2016, 1, 1))
    OfficeHolding.objects.filter(user=user).update(ends_on=date(2017, 12, 31))

    assert active_offices(user, at=datetime(2015, 12, 31, 23, 0, tzinfo=WIB)) == []
    assert active_offices(user, at=datetime(2016, 1, 1, 0, 0, tzinfo=WIB)) == [office]
    assert active_offices(user, at=datetime(2017, 12, 31, 23, 59, tzinfo=WIB)) == [office]
    assert active_offices(user) == []  # today is long after


def test_starts_on_applies_to_a_new_holding_only():
    _, _, first = appoint("petugas", "ministry_officer", starts_on=date(2016, 1, 1))
    _, _, again = appoint("petugas", "ministry_officer", starts_on=date(2020, 1, 1))

    assert first.pk == again.pk
    assert again.starts_on == date(2016, 1, 1)


def test_each_officer_director_and_auditor_has_an_own_seat():
    _, a, _ = appoint("direktur1", "ministry_director")
    _, b, _ = appoint("direktur2", "ministry_director")
    _, a_again, _ = appoint("direktur1", "ministry_director")

    assert a != b
    assert a == a_again
    assert (
        a.title == "Direktur pada Direktorat Jenderal Kependudukan dan Pencatatan Sipil (direktur1)"
    )
    assert a.province is None and a.regency is None


def test_the_minister_seat_is_one():
    _, first, _ = appoint("menteri", "minister")
    _, second, _ = appoint("plh.menteri", "minister", acting=True)

    assert first == second
    assert first.title == "Menteri Dalam Negeri"
    assert first.email == "menteri@x.go.id"


def test_provincial_dukcapil_head_office_is_created_with_a_readable_title():
    _, office, _ = appoint("kadis.jambi", "provincial_dukcapil_head", "15")

    assert office.title == "Kepala Dinas Kependudukan dan Pencatatan Sipil Provinsi Jambi"
    assert (office.province.code, office.regency) == ("15", None)


@pytest.mark.parametrize(
    ("kind", "region", "field", "code"),
    [
        ("bupati", "15.02", "office", "invalid_choice"),
        ("regent", None, "region", "required"),
        ("governor", "15.02", "region", "unknown"),
        ("regent", "15", "region", "unknown"),
        ("auditor", "15", "region", "not_allowed"),
        ("mayor", "15.09", "office", "wrong_head_for_region"),
    ],
)
def test_wrong_kind_or_region_is_refused_and_nothing_is_written(kind, region, field, code):
    offices, users = Office.objects.count(), get_user_model().objects.count()

    with pytest.raises(InvalidInput) as e:
        appoint("x", kind, region)

    assert e.value.errors == {field: [code]}
    assert (Office.objects.count(), get_user_model().objects.count()) == (offices, users)


def test_an_invalid_email_is_refused():
    with pytest.raises(InvalidInput) as e:
        appoint("x", "auditor", email="nope")

    assert e.value.errors == {"email": ["invalid"]}
    assert not get_user_model().objects.filter(username="x").exists()


def test_a_user_without_a_password_cannot_sign_in_until_given_one():
    user, _, _ = appoint("auditor", "auditor")
    assert not user.has_usable_password()

    user, _, _ = appoint("auditor", "auditor", password="Periksa-Semua-2017")
    assert user.check_password("Periksa-Semua-2017")

    user, _, _ = appoint("auditor", "auditor")  # no password given: the old one stays
    assert user.check_password("Periksa-Semua-2017")


def test_regional_offices_always_name_their_province():
    appoint("kadis.tebo", "regency_dukcapil_head", "15.09")

    regional = Office.objects.exclude(regency=None)
    assert not regional.filter(province=None).exists()
    tebo = Regency.objects.get(code="15.09")
    assert Office.objects.get(kind="regency_dukcapil_head", regency=tebo).province == tebo.province


def test_the_ministry_seats_are_named_as_ditjen_dukcapil_names_them():
    _, director_general, _ = appoint("dirjen", "director_general")
    _, officer, _ = appoint("petugas1", "ministry_officer")
    _, head, _ = appoint("kadis.merangin", "regency_dukcapil_head", "15.02")

    assert director_general.title == "Direktur Jenderal Kependudukan dan Pencatatan Sipil"
    assert (
        officer.title == "Pejabat Direktorat Jenderal Kependudukan dan Pencatatan Sipil (petugas1)"
    )
    assert head.title == "Kepala Dinas Kependudukan dan Pencatatan Sipil Kabupaten Merangin"


def test_each_kind_of_office_is_named_whole_in_each_language():
    from django.utils import translation

    with translation.override("en"):
        english = {k: str(k.label) for k in OfficeKind}
    assert english[OfficeKind.DIRECTOR_GENERAL] == (
        "Director General of Population and Civil Registration"
    )
    assert english[OfficeKind.MINISTRY_DIRECTOR] == (
        "Director in the Directorate General of Population and Civil Registration"
    )
    assert english[OfficeKind.REGENT] == "Regent"
    assert english[OfficeKind.MAYOR] == "Mayor"


def test_the_migration_retitles_the_seats_named_the_old_way_and_keeps_the_others():
    import importlib

    from django.apps import apps

    migration = importlib.import_module("compliance.migrations.0011_official_titles")
    merangin = Regency.objects.get(code="15.02")
    old = [
        Office(kind=OfficeKind.DIRECTOR_GENERAL, title="Direktur Jenderal Dukcapil"),
        Office(kind=OfficeKind.MINISTRY_OFFICER, title="Pejabat Kementerian (petugas1)"),
        Office(kind=OfficeKind.MINISTRY_DIRECTOR, title="Direktur Kementerian (direktur1)"),
        Office(kind=OfficeKind.AUDITOR, title="Auditor (Inspektorat) (auditor)"),
        Office(
            kind=OfficeKind.REGENCY_DUKCAPIL_HEAD,
            title="Kepala Dinas Dukcapil Kabupaten Merangin",
            province=merangin.province,
            regency=merangin,
        ),
        Office(
            kind=OfficeKind.PROVINCIAL_DUKCAPIL_HEAD,
            title="Kepala Dinas Sosial, Kependudukan dan Pencatatan Sipil Provinsi Jambi",
            province=merangin.province,
        ),
    ]
    Office.objects.bulk_create(old)

    migration.retitle(apps, None)

    assert sorted(Office.objects.exclude(kind__in=HEADS).values_list("title", flat=True)) == [
        "Auditor Inspektorat Jenderal (auditor)",
        "Direktur Jenderal Kependudukan dan Pencatatan Sipil",
        "Direktur pada Direktorat Jenderal Kependudukan dan Pencatatan Sipil (direktur1)",
        "Kepala Dinas Kependudukan dan Pencatatan Sipil Kabupaten Merangin",
        "Kepala Dinas Sosial, Kependudukan dan Pencatatan Sipil Provinsi Jambi",  # by hand
        "Pejabat Direktorat Jenderal Kependudukan dan Pencatatan Sipil (petugas1)",
    ]
    migration.restore(apps, None)
    assert Office.objects.filter(title="Pejabat Kementerian (petugas1)").exists()


def test_an_offices_address_keeps_its_domain_in_lower_case_however_it_is_written():
    # A domain is case-insensitive (RFC 5321 section 2.4), its local part is not: queries
    # compare stored domains exactly (the console's placeholder panel).
    tebo = Office.objects.get(title="Bupati Tebo")
    tebo.email = "Bupati.Tebo@Tebokab.GO.ID"
    tebo.save()
    assert tebo.email == "Bupati.Tebo@tebokab.go.id"

    tebo.email = "Sekretariat@TEBOKAB.go.id"
    Office.objects.bulk_update([tebo], ["email"])
    assert Office.objects.get(pk=tebo.pk).email == "Sekretariat@tebokab.go.id"

    Office.objects.filter(pk=tebo.pk).update(email="X@Tebo.Go.Id")
    assert Office.objects.get(pk=tebo.pk).email == "X@tebo.go.id"
    assert Office.objects.filter(email="X@TEBO.GO.ID").get() == tebo


def test_the_migration_lowers_the_domains_stored_before_it():
    import importlib

    from django.apps import apps
    from django.db import connection

    migration = importlib.import_module("compliance.migrations.0015_office_email_domain_lower")
    tebo = Office.objects.get(title="Bupati Tebo")
    others = dict(Office.objects.exclude(pk=tebo.pk).values_list("pk", "email"))
    with connection.cursor() as cursor:  # as written before the field lowered domains
        cursor.execute(
            "UPDATE compliance_office SET email = %s WHERE id = %s",
            ["Bupati.Tebo@PEMDA.Example.go.id", tebo.pk],
        )

    migration.lower_domains(apps, None)

    assert Office.objects.get(pk=tebo.pk).email == "Bupati.Tebo@pemda.example.go.id"
    assert dict(Office.objects.exclude(pk=tebo.pk).values_list("pk", "email")) == others
