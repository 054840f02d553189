"""Evidence uploads: PDF, images and office documents, judged by content, size-limited,
stored privately."""

import hashlib
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from compliance import services
from compliance.errors import InvalidInput, NotAllowed
from compliance.models import EvidenceDocument
from tests.compliance import scenario
from tests.compliance.scenario import MERANGIN, Cast

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast():
    return Cast.of(MERANGIN)


@pytest.fixture
def private_root(private_media):
    return private_media


def upload(cast, name, content, actor=None):
    return services.upload_evidence(
        regency=cast.regency,
        actor=actor or cast.regent,
        file=SimpleUploadedFile(name, content),
        description="Bukti perbaikan",
    )


@pytest.mark.parametrize(
    ("name", "build", "mime"),
    [
        ("sk-bupati.pdf", scenario.pdf_bytes, "application/pdf"),
        ("foto-kantor.png", scenario.png_bytes, "image/png"),
        ("foto-kantor.jpg", scenario.jpeg_bytes, "image/jpeg"),
        (
            "perda-sotk.docx",
            scenario.docx_bytes,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
    ],
)
def test_accepted_types_are_recognised_by_content(cast, private_root, name, build, mime):
    content = build()

    document = upload(cast, name, content)

    assert (document.content_type, document.size) == (mime, len(content))
    assert document.sha256 == hashlib.sha256(content).hexdigest()
    assert (document.original_name, document.uploaded_by) == (name, cast.regent)
    assert document.regency == cast.regency
    with document.file.open("rb") as stored:
        assert stored.read() == content


def test_the_name_does_not_matter_only_the_content(cast, private_root):
    document = upload(cast, "scan-tanpa-ekstensi", scenario.pdf_bytes())

    assert document.content_type == "application/pdf"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("surat.pdf", scenario.exe_bytes()),
        ("surat.pdf", b"Ini hanya teks biasa, bukan PDF.\n"),
        ("arsip.pdf", b"PK\x03\x04" + b"\x00" * 60),  # a bare zip, not an office document
    ],
    ids=["exe-renamed-pdf", "plain-text-named-pdf", "zip-named-pdf"],
)
def test_other_content_is_refused_whatever_its_name(cast, private_root, name, content):
    with pytest.raises(InvalidInput) as refusal:
        upload(cast, name, content)

    assert refusal.value.errors == {"file": ["unsupported_type"]}
    assert not EvidenceDocument.objects.exists()
    assert not any(private_root.rglob("*.*"))


def test_a_file_above_the_limit_is_refused(cast, private_root, settings):
    content = scenario.pdf_bytes()
    settings.EVIDENCE_MAX_BYTES = len(content) - 1

    with pytest.raises(InvalidInput) as refusal:
        upload(cast, "sk.pdf", content)

    assert refusal.value.errors == {"file": ["too_large"]}
    assert not EvidenceDocument.objects.exists()


def test_a_file_at_the_limit_is_accepted(cast, private_root, settings):
    content = scenario.pdf_bytes()
    settings.EVIDENCE_MAX_BYTES = len(content)

    assert upload(cast, "sk.pdf", content).size == len(content)


def test_a_missing_file_is_refused(cast, private_root):
    with pytest.raises(InvalidInput) as refusal:
        services.upload_evidence(regency=cast.regency, actor=cast.regent, file=None)

    assert refusal.value.errors == {"file": ["required"]}


def test_only_the_regencys_own_offices_upload(cast, private_root):
    with pytest.raises(NotAllowed):
        upload(cast, "sk.pdf", scenario.pdf_bytes(), actor=cast.officer)

    assert not EvidenceDocument.objects.exists()


def test_the_file_is_stored_under_the_private_root_not_media_root(cast, private_root, settings):
    document = upload(cast, "sk-bupati.pdf", scenario.pdf_bytes())

    stored = Path(document.file.path).resolve()
    assert stored.is_relative_to(private_root.resolve())
    assert not stored.is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    assert stored.read_bytes() == scenario.pdf_bytes()
    assert document.file.name.startswith(f"evidence/{MERANGIN}/")


def test_the_private_storage_follows_the_private_media_root_setting(cast, settings, tmp_path):
    """Set only the setting, as a deployment or a test would: the evidence must land there."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path

    document = upload(cast, "sk-bupati.pdf", scenario.pdf_bytes())
    try:
        assert Path(document.file.path).resolve().is_relative_to(tmp_path.resolve())
    finally:
        document.file.storage.delete(document.file.name)


def test_stored_evidence_has_no_public_url(cast, private_root):
    document = upload(cast, "sk-bupati.pdf", scenario.pdf_bytes())

    with pytest.raises(ValueError, match="private"):
        document.file.url  # noqa: B018 - the attribute access is the behaviour under test
