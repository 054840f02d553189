"""Written warnings I and II become formal letters once their signatory signs the
proposal (tests/workflow/test_proposals.py): numbered without gaps per signatory office
and year at the signing, signed by the governor for a regent and by the Minister for a
governor, rendered as a PDF and attached to the e-mail."""

import datetime as dt
import re
import shutil
import subprocess
import threading
import time
import zoneinfo

import pytest
from django.core import mail
from django.db import connection, transaction

from compliance.models import Office, OfficeKind
from tests.conftest import missing_service
from tests.factories import PSN, official
from tests.workflow.proposal_helpers import sign_all
from workflow import letters, services
from workflow.escalation import sweep
from workflow.models import Assignment, Letter, LetterCounter, Notification, SanctionProposal
from workflow.notifications import outbox

WIB = zoneinfo.ZoneInfo("Asia/Jakarta")
ISSUED = dt.datetime(2026, 11, 2, 10, 0, tzinfo=WIB)  # Monday
DUE = dt.date(2026, 11, 20)
WARNING_1 = dt.datetime(2026, 11, 30, 8, 0, tzinfo=WIB)  # warning I (Sat.) waits for Monday 08:00
SIGNED_1 = dt.datetime(2026, 11, 30, 10, 0, tzinfo=WIB)  # the Monday after
SIGNED_2 = dt.datetime(2026, 12, 21, 10, 0, tzinfo=WIB)
JAMBI_REGENCIES = ["15.01", "15.02", "15.03"]


def issue(regions, *, at=ISSUED, due=DUE):
    officer = official("ministry_officer")
    directive = services.create_directive(
        actor=officer,
        title="Percepatan perekaman KTP-el",
        body="Selesaikan perekaman KTP-el penduduk wajib KTP-el.",
        legal_basis="Permendagri 76/2015",
        due_date=due,
        scope={"regions": regions},
        **PSN,
    )
    directive, _ = services.issue_directive(directive=directive, actor=officer, at=at)
    return directive


def numbers(office):
    return list(
        Letter.objects.filter(signatory_office=office)
        .order_by("year", "sequence")
        .values_list("year", "sequence")
    )


@pytest.mark.django_db
def test_letters_are_numbered_without_gaps_per_office_and_year():
    issue(JAMBI_REGENCIES)
    governor = Office.objects.get(kind=OfficeKind.GOVERNOR, province__code="15")
    sweep(now=WARNING_1)
    assert numbers(governor) == []  # proposed, not yet signed
    sign_all(SIGNED_1)
    assert numbers(governor) == [(2026, 1), (2026, 2), (2026, 3)]
    # Warning II counts from the signing of warning I.
    [warning_2] = set(Assignment.objects.values_list("next_step_at", flat=True))
    assert warning_2 > SIGNED_1
    sweep(now=warning_2)
    sign_all(SIGNED_2)
    assert numbers(governor) == [(2026, n) for n in range(1, 7)]
    letter = Letter.objects.get(signatory_office=governor, sequence=4)
    assert letter.number == "100.3.4/0004/Gub.15/2026"
    assert letter.date == dt.date(2026, 12, 21)  # the day it was signed


@pytest.mark.django_db
def test_numbering_restarts_each_year_and_each_office_counts_for_itself():
    jambi = Office.objects.get(kind=OfficeKind.GOVERNOR, province__code="15")
    riau = Office.objects.get(kind=OfficeKind.GOVERNOR, province__code="14")
    with transaction.atomic():
        assert list(letters.take_numbers(office=jambi, year=2026, count=2)) == [1, 2]
        assert list(letters.take_numbers(office=riau, year=2026)) == [1]
        assert list(letters.take_numbers(office=jambi, year=2027)) == [1]
        assert list(letters.take_numbers(office=jambi, year=2026)) == [3]


@pytest.mark.django_db
def test_the_sweep_takes_no_number_a_signing_does():
    issue(JAMBI_REGENCIES)
    governor = Office.objects.get(kind=OfficeKind.GOVERNOR, province__code="15")
    sweep(now=WARNING_1, dry_run=True)
    assert not SanctionProposal.objects.exists()
    sweep(now=WARNING_1)
    assert SanctionProposal.objects.count() == 3
    assert not Letter.objects.exists()
    assert not LetterCounter.objects.filter(office=governor, last__gt=0).exists()
    sign_all(SIGNED_1)
    assert numbers(governor) == [(2026, 1), (2026, 2), (2026, 3)]


@pytest.mark.django_db
def test_the_governor_signs_for_a_regent_and_the_minister_for_a_governor():
    issue(["15.02", "15"])
    sweep(now=WARNING_1)
    proposed = dict(
        SanctionProposal.objects.values_list("assignment__office__title", "signatory_office__kind")
    )
    assert proposed == {"Bupati Merangin": "governor", "Gubernur Jambi": "minister"}
    sign_all(SIGNED_1)
    signed = dict(Letter.objects.values_list("addressee_office__title", "signatory_office__kind"))
    assert signed == {"Bupati Merangin": "governor", "Gubernur Jambi": "minister"}
    minister_letter = Letter.objects.get(addressee_office__title="Gubernur Jambi")
    assert minister_letter.number == "100.3.4/0001/Dukcapil/2026"


@pytest.mark.django_db
def test_only_the_written_warnings_get_letters_and_their_notices_point_to_them():
    issue(["15.02"])
    sweep(now=WARNING_1 - dt.timedelta(minutes=1))  # reminders and the overdue notice
    assert not SanctionProposal.objects.exists()
    sweep(now=WARNING_1)
    assert not Notification.objects.filter(template="step_written_warning_1").exists()
    sign_all(SIGNED_1)
    letter = Letter.objects.get()
    notices = Notification.objects.filter(template="step_written_warning_1")
    assert notices.count() == 3  # the regent, the governor's copy, the ministry's copy
    assert {n.context["letter"] for n in notices} == {letter.pk}
    assert not Notification.objects.filter(
        template="step_overdue_notice", context__has_key="letter"
    ).exists()


def pdf_text(data, tmp_path):
    path = tmp_path / "letter.pdf"
    path.write_bytes(data)
    result = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    )
    return " ".join(result.stdout.split())


@pytest.mark.django_db
def test_the_letter_renders_as_a_pdf_kept_in_private_storage(private_media, tmp_path):
    issue(["15.02"])
    sweep(now=WARNING_1)
    sign_all(SIGNED_1)
    letter = Letter.objects.get()
    data = letters.pdf_for(letter)
    assert data.startswith(b"%PDF")
    letter.refresh_from_db()
    assert letter.pdf.name.startswith("letters/2026/Teguran-Tertulis-I-")
    assert (private_media / letter.pdf.name).read_bytes() == data
    assert letters.pdf_for(letter) == data  # read back, not rendered again
    if shutil.which("pdftotext") is None:
        missing_service("pdftotext", "apt-get install poppler-utils")
    text = pdf_text(data, tmp_path)
    assert letter.number in text
    assert "Yth. Bupati Merangin" in text
    assert "Teguran Tertulis I" in text
    assert "GUBERNUR JAMBI" in text
    assert "Pasal 67" in text and "Pasal 38" in text and "Permendagri 76/2015" in text
    assert "20 November 2026" in text  # the directive's deadline


@pytest.mark.django_db
def test_the_written_warning_e_mails_carry_the_letter(settings, private_media):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    issue(["15.02"])
    sweep(now=WARNING_1)
    sign_all(SIGNED_1)
    letter = Letter.objects.get()
    ids = list(
        Notification.objects.filter(template="step_written_warning_1").values_list("pk", flat=True)
    )
    assert outbox.deliver(ids, token="t-1") == {"skipped": 0, "sent": 3}
    assert len(mail.outbox) == 3
    for message in mail.outbox:
        ((name, content, mimetype),) = message.attachments
        assert name == f"Teguran-Tertulis-I-{letter.number.replace('/', '-')}.pdf"
        assert mimetype == "application/pdf" and content.startswith(b"%PDF")
        assert "terlampir" in message.body
    assert len(list((private_media / "letters" / "2026").iterdir())) == 1  # rendered once


@pytest.mark.django_db(transaction=True)
def test_two_letters_issued_at_once_get_consecutive_distinct_numbers(
    postgres, regions, log_flushable
):
    office = letters.minister_office()
    barrier = threading.Barrier(2)
    taken, errors = [], []

    def take():
        try:
            connection.ensure_connection()
            barrier.wait(timeout=10)
            with transaction.atomic():
                (number,) = letters.take_numbers(office=office, year=2027)
                time.sleep(0.2)  # hold the lock: the other one must wait, not reuse it
                taken.append(number)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=take) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert errors == []
    assert sorted(taken) == [1, 2]
    assert LetterCounter.objects.get(office=office, year=2027).last == 2


@pytest.mark.django_db
def test_the_governor_signs_with_his_name_when_the_seat_has_a_named_holder(private_media, tmp_path):
    from django.contrib.auth import get_user_model

    from tests.factories import official

    governor = official("governor", "15")
    get_user_model().objects.filter(pk=governor.pk).update(first_name="Budi", last_name="Santoso")
    issue(["15.02"])
    sweep(now=WARNING_1)
    sign_all(SIGNED_1)
    letter = Letter.objects.get()

    assert letters.signer_name(letter.signatory_office, letter.date) == "Budi Santoso"
    if shutil.which("pdftotext") is None:
        missing_service("pdftotext", "apt-get install poppler-utils")
    text = pdf_text(letters.pdf_for(letter), tmp_path)
    # His office, the electronic signature in the room left for it, then his name.
    assert re.search(r"GUBERNUR JAMBI, TANDA TANGAN DEMO .* Budi Santoso Tembusan:", text)


@pytest.mark.django_db
def test_a_seat_without_a_named_holder_leaves_a_line_for_the_name(private_media):
    issue(["15.02"])
    sweep(now=WARNING_1)
    sign_all(SIGNED_1)
    letter = Letter.objects.get()
    assert letters.signer_name(letter.signatory_office, letter.date) == ""
