import datetime as dt
import re
from base64 import b32decode
from datetime import timedelta
from io import StringIO

import holidays
import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import RequestFactory
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.demo import DEMO_AUTHENTICATOR_KEY
from compliance import demo, services
from compliance.demo import DEMO_PASSWORD
from compliance.models import (
    AccessOrder,
    ComplianceState,
    EvidenceDocument,
    OfficeKind,
    Regency,
    SuspensionRequest,
    TransitionLog,
)
from compliance.offices import active_offices
from compliance.selectors import downtime_by, regency_downtime
from tests.accounts.conftest import code as authenticator_code
from tests.factories import official, regency

pytestmark = pytest.mark.django_db
User = get_user_model()
MERANGIN, TEBO = demo.STORY["15.02"], demo.STORY["15.09"]
WIB = dt.timezone(dt.timedelta(hours=7))


@pytest.fixture(autouse=True)
def _demo_settings(settings):
    settings.DEBUG = True  # pytest-django turns it off; seed_demo refuses then


def seed_demo(**options):
    out = StringIO()
    call_command("seed_demo", stdout=out, **options)
    return out.getvalue()


def history(code):
    return list(TransitionLog.objects.filter(regency__code=code).order_by("at", "id"))


@pytest.mark.parametrize(("code", "story"), [("15.02", MERANGIN), ("15.09", TEBO)])
def test_each_step_is_recorded_at_its_2017_date(code, story):
    seed_demo()

    log = history(code)
    # The director's decisions are access orders; the state changes when the network
    # operators carry them out that afternoon.
    assert [(row.transition, row.at) for row in log] == [
        ("flag", story["flag"]),
        ("suspend", story["cut"]),
        ("submit_remediation", story["submit_remediation"]),
        ("reconnect", story["restore"]),
        ("clear", demo.probation_sweep_at(story["restore"])),
    ]
    assert [row.to_state for row in log] == [
        "flagged",
        "suspended",
        "remediated",
        "reconnected",
        "compliant",
    ]
    case = log[0].case
    assert case.opened_at == story["flag"]
    assert case.closed_at == log[-1].at
    [violation] = case.violations.all()
    assert violation.flagged_at == story["flag"]
    [remediation] = case.remediations.all()
    assert (remediation.status, remediation.submitted_at) == (
        "accepted",
        story["submit_remediation"],
    )
    assert remediation.decided_at == story["reconnect"]
    for doc in EvidenceDocument.objects.filter(regency__code=code):
        assert doc.uploaded_at == story["upload_evidence"]


def test_probation_cleared_both_automatically_the_first_night_after_30_days():
    seed_demo()

    merangin_clear, tebo_clear = history("15.02")[-1], history("15.09")[-1]
    assert merangin_clear.at == demo.wib(7, 20, 0, 5)
    assert tebo_clear.at == demo.wib(8, 25, 0, 5)
    for row in (merangin_clear, tebo_clear):
        assert row.actor is None
        assert row.payload["automatic"] is True


def test_merangin_is_an_hr_violation_and_tebo_an_organisational_one():
    seed_demo()

    merangin, tebo = history("15.02")[0], history("15.09")[0]
    assert merangin.payload["kind"] == "hr"
    assert "83A" in merangin.payload["legal_basis"]
    assert "76/2015" in merangin.payload["legal_basis"]
    assert tebo.payload["kind"] == "organisational"
    assert "PP 18/2016" in tebo.payload["legal_basis"]


def test_an_officer_requested_each_suspension_and_a_different_director_approved_it():
    seed_demo()

    requests = SuspensionRequest.objects.select_related(
        "requested_office", "decided_office"
    ).filter(regency__code__in=demo.STORY)
    assert requests.count() == 2
    for request in requests:
        assert request.status == "approved"
        assert request.requested_office.kind == OfficeKind.MINISTRY_OFFICER
        assert request.decided_office.kind == OfficeKind.MINISTRY_DIRECTOR
        assert request.requested_by_id != request.decided_by_id
        story = demo.STORY[request.regency.code]
        assert request.requested_at == story["request_suspension"]
        assert request.decided_at == story["approve_suspension"]
        assert request.period.started_at == story["cut"]
        assert request.period.ended_at == story["restore"]


def test_each_cut_and_restoration_went_through_an_order_the_operators_carried_out():
    seed_demo()

    for code, story in demo.STORY.items():
        cut, restore = AccessOrder.objects.filter(regency__code=code).order_by("issued_at")
        assert (cut.kind, cut.state) == ("cut", "executed")
        assert (cut.issued_at, cut.executed_at) == (story["approve_suspension"], story["cut"])
        assert (restore.kind, restore.state) == ("restore", "executed")
        assert (restore.issued_at, restore.executed_at) == (story["reconnect"], story["restore"])
        for order in (cut, restore):
            assert order.issued_office.kind == OfficeKind.MINISTRY_DIRECTOR
            assert order.executed_office.kind == OfficeKind.NETWORK_OPERATOR
            assert order.reference.startswith("CHG-2017")
        assert cut.period == restore.period == cut.request.period


def test_network_downtime_is_about_three_months_each():
    out = seed_demo()

    for code in ("15.02", "15.09"):
        assert regency_downtime(regency(code)) == timedelta(days=91)
        assert f"{code}: 91.0 hari" in out
    assert downtime_by("regency__province__code")["15"] == timedelta(days=182)


def test_the_other_regencies_of_jambi_stay_compliant_without_history():
    seed_demo()

    story_and_practice = ["15.02", "15.09", demo.PRACTICE_REGENCY]
    others = Regency.objects.filter(province__code="15").exclude(code__in=story_and_practice)
    assert others.count() == 8
    assert set(others.values_list("state", flat=True)) == {ComplianceState.COMPLIANT}
    assert not TransitionLog.objects.exclude(regency__code__in=story_and_practice).exists()
    assert regency("15.02").state == regency("15.09").state == ComplianceState.COMPLIANT


def test_evidence_is_a_valid_pdf_checked_by_content():
    seed_demo()

    docs = EvidenceDocument.objects.order_by("regency__code", "original_name")
    assert [(d.regency.code, d.content_type) for d in docs] == [
        ("15.02", "application/pdf"),
        ("15.09", "application/pdf"),
        ("15.09", "application/pdf"),
    ]
    assert any("tipe A" in d.description for d in docs if d.regency.code == "15.09")
    for doc in docs:
        data = doc.file.open("rb").read()
        assert len(data) == doc.size
        assert data.startswith(b"%PDF-1.4\n")
        assert data.endswith(b"%%EOF\n")
        xref_at = int(re.search(rb"startxref\n(\d+)\n", data).group(1))
        assert data[xref_at:].startswith(b"xref\n0 6\n")
        for number, offset in enumerate(re.findall(rb"(\d{10}) 00000 n", data), start=1):
            assert data[int(offset) :].startswith(b"%d 0 obj" % number)


def test_every_remediation_statement_has_its_evidence():
    seed_demo()

    for code, documents in (("15.02", 1), ("15.09", 2)):
        [remediation] = regency(code).cases.get().remediations.all()
        [statement] = remediation.statements.all()
        assert statement.evidence.count() == documents
    assert "tipe A" in statement.statement


def test_every_office_kind_has_a_demo_user_who_signs_in_with_the_demo_password():
    out = seed_demo()

    seats = demo.demo_seats()
    sign_in = RequestFactory().post("/masuk/")  # django-axes counts sign-ins per request
    assert len(seats) == 23
    kinds = set()
    for seat in seats:
        user = authenticate(sign_in, username=seat.username, password=demo.DEMO_PASSWORD)
        assert user is not None, seat.username
        [office] = active_offices(user)  # in office today
        kinds.add(office.kind)
        assert re.search(rf"^{re.escape(seat.username)}\s+{re.escape(office.title)}\s+", out, re.M)
        assert re.search(rf"^{re.escape(seat.username)}\s.*{demo.DEMO_PASSWORD}$", out, re.M)
    assert kinds == set(OfficeKind.values)
    heads = [s for s in seats if s.kind in (OfficeKind.REGENT, OfficeKind.MAYOR)]
    assert sorted(s.region for s in heads) == sorted(
        Regency.objects.filter(province__code="15").values_list("code", flat=True)
    )
    assert {"bupati.merangin", "bupati.tebo", "walikota.sungaipenuh"} <= {s.username for s in heads}


def test_every_human_step_falls_on_a_government_working_day():
    off = holidays.country_holidays("ID", years=2017, categories=("public", "government"))
    for story in demo.STORY.values():
        for step, at in story.items():
            assert at.weekday() < 5, step
            assert at.date() not in off, (step, off.get(at.date()))


def test_running_it_again_changes_nothing():
    seed_demo()
    before = (User.objects.count(), TransitionLog.objects.count(), EvidenceDocument.objects.count())

    out = seed_demo()

    assert "sudah ada" in out
    assert "already loaded" in out
    assert demo.DEMO_PASSWORD not in out
    after = (User.objects.count(), TransitionLog.objects.count(), EvidenceDocument.objects.count())
    assert after == before


def test_the_demo_can_be_replayed_after_loading():
    """Merangin can be flagged again through the services: the README's curl walk-through."""
    seed_demo()
    officer = User.objects.get(username="petugas1")

    services.flag_regency(
        regency=regency("15.02"),
        actor=officer,
        kind="hr",
        description="Pelanggaran baru",
        legal_basis="UU 24/2013 Pasal 83A",
    )

    assert regency("15.02").state == ComplianceState.FLAGGED


def test_refuses_with_debug_off_unless_told_and_writes_nothing(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DEBUG is off"):
        seed_demo()
    assert not User.objects.exists()

    seed_demo(allow_production=True)
    assert User.objects.filter(username="menteri").exists()


def test_leaves_a_database_with_other_compliance_data_alone():
    officer = official("ministry_officer")
    services.flag_regency(
        regency=regency("11.01"),
        actor=officer,
        kind="organisational",
        description="Struktur dinas tidak sesuai",
        legal_basis="PP 18/2016",
    )

    out = seed_demo()

    assert "Demo not loaded" in out
    assert not User.objects.filter(username="menteri").exists()
    assert not TransitionLog.objects.filter(regency__province__code="15").exists()


def test_the_ministers_demo_account_opens_the_admin_with_the_demo_authenticator(client):
    seed_demo()
    sign_in = RequestFactory().post("/admin/login/")  # django-axes needs the request
    assert client.login(request=sign_in, username="menteri", password=DEMO_PASSWORD)
    asked = client.get("/admin/compliance/regency/")
    assert asked["Location"].startswith("/masuk/kode/?")  # administers users: TOTP
    phone = TOTPDevice.objects.get(user__username="menteri", confirmed=True)
    assert phone.bin_key == b32decode(DEMO_AUTHENTICATOR_KEY)  # the published demo key
    assert client.post("/masuk/kode/", {"code": authenticator_code(phone)}).status_code == 302
    assert client.get("/admin/compliance/regency/").status_code == 200
    assert client.login(request=sign_in, username="bupati.tebo", password=DEMO_PASSWORD)
    assert client.get("/admin/compliance/regency/").status_code == 302  # not staff


def test_a_practice_case_today_gives_each_group_work_to_do_in_the_pages(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        seed_demo()

    kerinci = regency(demo.PRACTICE_REGENCY)
    assert kerinci.state == ComplianceState.FLAGGED
    pending = SuspensionRequest.objects.get(regency=kerinci)
    assert pending.status == "pending"
    assert pending.requested_by.username == "petugas1"
    # workflow answered the flag: the regent of Kerinci has a remediation assignment, his
    # only open one (the Minister's call and the repair of 2017 are done)
    from workflow.models import Assignment

    assignment = Assignment.objects.get(office__regency=kerinci, state="issued")
    assert assignment.directive.origin_key.startswith("remediation:case:")


def test_the_governor_of_jambi_has_a_directive_from_the_director_general_to_answer(
    django_capture_on_commit_callbacks,
):
    from workflow.models import Assignment

    with django_capture_on_commit_callbacks(execute=True):
        seed_demo()

    [assignment] = Assignment.objects.filter(office__kind=OfficeKind.GOVERNOR, state="issued")
    assert assignment.office.province.code == "15"
    assert assignment.directive.issuing_office.kind == OfficeKind.DIRECTOR_GENERAL
    assert assignment.state == "issued"
    assert assignment.due_date > assignment.issued_at.date()
    governor = User.objects.get(username="gubernur.jambi")
    assert assignment.office in active_offices(governor)


@pytest.mark.parametrize(
    "today",
    [
        dt.datetime(2027, 7, 1, 9, 0, tzinfo=WIB),
        # six weeks back reaches into the year before: letters are numbered per year
        dt.datetime(2028, 1, 10, 9, 0, tzinfo=WIB),
    ],
    ids=["mid-year", "new-year"],
)
def test_the_governor_has_signed_one_warning_and_two_wait_for_him(
    django_capture_on_commit_callbacks, time_machine, today
):
    from workflow.models import Letter, SanctionProposal
    from workflow.signing import verify_pdf

    time_machine.move_to(today)
    with django_capture_on_commit_callbacks(execute=True):
        seed_demo()

    [letter] = Letter.objects.select_related("signatory_office", "addressee_office")
    assert (letter.signatory_office.title, letter.addressee_office.title) == (
        "Gubernur Jambi",
        "Bupati Merangin",
    )
    assert letter.sequence == 1 and letter.date.weekday() < 5
    assert verify_pdf(letter.pdf.read())["valid"] is True
    waiting = SanctionProposal.objects.filter(state="proposed").order_by("assignment__office")
    assert [(p.assignment.office.title, p.step_event.step.slug) for p in waiting] == [
        ("Bupati Merangin", "written-warning-2"),
        ("Bupati Sarolangun", "written-warning-1"),
    ]


def test_the_past_is_not_mailed_today_but_todays_work_is(django_capture_on_commit_callbacks):
    from workflow.models import Notification

    with django_capture_on_commit_callbacks(execute=True):
        seed_demo()

    queued = Notification.objects.filter(state="queued")
    waiting = set(queued.values_list("assignment__directive__title", flat=True))
    assert waiting == {
        "Perbaikan pelanggaran kepatuhan Kabupaten Kerinci",  # the practice case, today
        "Laporan capaian perekaman KTP-el Provinsi Jambi semester II",  # to the governor
    }
    past = Notification.objects.filter(assignment__issued_at__year=2017)
    assert past.exists() and not past.exclude(state="sent").exists()
    assert all(n.sent_at.year == 2017 for n in past)
