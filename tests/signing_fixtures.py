"""Signing keys and signed letters for the tests of electronic signatures: the demo CA
and its keys are made once per run in a folder of the run, and each test that asks for
`signing_keys` points the settings at it (never at var/signing)."""

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.db import transaction

from compliance.models import Office, OfficeKind, Province
from tests.factories import PSN, official
from workflow import letters, services, signing
from workflow.escalation import sweep
from workflow.models import Letter, StepAction, StepEvent

WIB = zoneinfo.ZoneInfo("Asia/Jakarta")
ISSUED = dt.datetime(2026, 11, 2, 10, 0, tzinfo=WIB)  # Monday
DUE = dt.date(2026, 11, 20)
WARNING_1 = dt.datetime(2026, 11, 30, 8, 0, tzinfo=WIB)  # warning I (Sat.) waits for Monday 08:00
SIGNED_AT = dt.datetime(2026, 11, 30, 9, 15, tzinfo=WIB)
SIGNER = "Zumi Zola Zulkifli"


def signatories():
    """Unsaved offices naming the files and certificates the tests need: the governor of
    Jambi and the Minister (titles as the regions and letters.minister_office give)."""
    jambi = Province(code="15", name="Jambi", time_zone="Asia/Jakarta")
    return [
        Office(kind=OfficeKind.GOVERNOR, title="Gubernur Jambi", province=jambi),
        Office(kind=OfficeKind.MINISTER, title=letters.MINISTER_TITLE),
    ]


@pytest.fixture(scope="session")
def demo_keys_dir(tmp_path_factory):
    directory = tmp_path_factory.mktemp("signing")
    signing.ensure_demo_keys(signatories(), directory=directory)
    return directory


@pytest.fixture(scope="session")
def foreign_keys_dir(tmp_path_factory):
    """Another demo CA, with the very same name as ours: nothing here trusts it."""
    directory = tmp_path_factory.mktemp("foreign-signing")
    signing.ensure_demo_keys(signatories(), directory=directory)
    return directory


@pytest.fixture
def signing_keys(settings, demo_keys_dir):
    settings.SIGNING_KEYS_DIR = demo_keys_dir
    settings.SIGNING_TRUST_ROOTS = ""
    settings.SIGNING_KEY_PASSWORD = ""
    return demo_keys_dir


@pytest.fixture(scope="session")
def small_pdf():
    from weasyprint import HTML

    return HTML(string="<h1>Teguran Tertulis I</h1><p>Surat uji.</p>").write_pdf()


def warning_letter():
    """Written warning I to the regent of Merangin, signed for by the governor of Jambi:
    the ladder fires the step, and the letter is numbered as the signing numbers it (made
    here directly, so that these tests hold whichever flow decides the signing)."""
    with time_machine.travel(ISSUED - dt.timedelta(days=1)):
        officer = official("ministry_officer")
        directive = services.create_directive(
            actor=officer,
            title="Percepatan perekaman KTP-el",
            body="Selesaikan perekaman KTP-el penduduk wajib KTP-el.",
            legal_basis="Permendagri 76/2015",
            due_date=DUE,
            scope={"regions": ["15.02"]},
            **PSN,
        )
        services.issue_directive(directive=directive, actor=officer, at=ISSUED)
    sweep(now=WARNING_1)
    event = StepEvent.objects.select_related("assignment__province").get(
        step__action=StepAction.WRITTEN_WARNING_1
    )
    signatory = letters.signatory_for(event.assignment)
    day = SIGNED_AT.date()
    with transaction.atomic():
        (sequence,) = letters.take_numbers(office=signatory, year=day.year)
    return Letter.objects.create(
        step_event=event,
        signatory_office=signatory,
        addressee_office=event.assignment.office,
        year=day.year,
        sequence=sequence,
        number=letters.format_number(signatory, sequence, day.year),
        date=day,
    )


def sign_and_store(letter, pdf):
    """What the lead's signing step does: sign the letter's PDF and keep it."""
    signed = signing.sign_pdf(
        pdf,
        office=letter.signatory_office,
        signer_name=SIGNER,
        number=letter.number,
        signed_at=SIGNED_AT,
    )
    letter.pdf.save(f"letters/{letter.year}/{letters.filename(letter)}", ContentFile(signed))
    return signed


@pytest.fixture
def signed_letter(db, signing_keys, private_media, small_pdf):
    letter = warning_letter()
    sign_and_store(letter, small_pdf)
    return letter
