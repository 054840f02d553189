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


# --- limited while received, named by content, one per upload (issue 16) ------------------
def api_upload(user, files, description="SK pengembalian jabatan"):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(user)
    return client.post(
        f"/api/v1/regencies/{MERANGIN}/evidence/", {**files, "description": description}
    )


def test_past_its_limit_an_upload_keeps_no_more_bytes_and_says_how_large_it_was(settings):
    from django.test import RequestFactory

    from ektp_compliance.uploads import SizeLimitUploadHandler, TooLargeUpload

    settings.EVIDENCE_MAX_BYTES = 100
    handler = SizeLimitUploadHandler(RequestFactory().post("/api/v1/anything/"))
    handler.new_file("file", "besar.pdf", "application/pdf", None)
    kept = [handler.receive_data_chunk(b"x" * 64, i * 64) for i in range(4)]

    assert kept[:1] == [b"x" * 64] and kept[1:] == [None, None, None]  # 128 > 100: none
    stand_in = handler.file_complete(256)
    assert isinstance(stand_in, TooLargeUpload) and stand_in.size == 256
    assert stand_in.read() == b""


def test_a_file_within_its_limit_goes_to_djangos_own_handlers(settings):
    from django.test import RequestFactory

    from ektp_compliance.uploads import SizeLimitUploadHandler

    settings.EVIDENCE_MAX_BYTES = 100
    handler = SizeLimitUploadHandler(RequestFactory().post("/api/v1/anything/"))
    handler.new_file("file", "kecil.pdf", "application/pdf", None)
    assert handler.receive_data_chunk(b"x" * 100, 0) == b"x" * 100
    assert handler.file_complete(100) is None


def test_a_recording_file_has_the_recording_limit_and_evidence_its_own(settings):
    from django.test import RequestFactory
    from django.urls import resolve

    from ektp_compliance.uploads import limit_for

    settings.EVIDENCE_MAX_BYTES, settings.RECORDING_IMPORT_MAX_BYTES = 10, 1000
    for path, limit in [
        ("/api/v1/recording/imports/", 1000),
        ("/recording/", 1000),
        (f"/api/v1/regencies/{MERANGIN}/evidence/", 10),
    ]:
        request = RequestFactory().post(path)
        request.resolver_match = resolve(path)
        assert limit_for(request) == limit, path


def test_an_upload_too_large_is_refused_through_the_api_with_its_size(cast, settings):
    settings.EVIDENCE_MAX_BYTES = 1000
    big = scenario.pdf_bytes() + b"%" * 200_000
    response = api_upload(cast.regent, {"file": SimpleUploadedFile("sk.pdf", big)})

    assert response.status_code == 413
    assert response.json()["errors"] == {"file": ["too_large"]}
    assert not EvidenceDocument.objects.exists()


def test_a_pdf_sent_as_html_is_stored_as_a_pdf(cast, private_root):
    response = api_upload(
        cast.regent, {"file": SimpleUploadedFile("poly.html", scenario.pdf_bytes())}
    )

    assert response.status_code == 201, response.content
    document = EvidenceDocument.objects.get()
    assert document.original_name == "poly.html"  # what the regent called it
    assert Path(document.file.name).name.endswith(".pdf")
    assert not document.file.name.endswith(".html")


def test_several_files_in_one_field_are_refused_not_the_last_kept(cast, private_root):
    from django.test.client import encode_multipart
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(cast.regent)
    parts = [SimpleUploadedFile(f"bukti-{i}.pdf", scenario.pdf_bytes()) for i in range(3)]
    body = encode_multipart("BoUnDaRy", {"file": parts, "description": "SK"})
    response = client.post(
        f"/api/v1/regencies/{MERANGIN}/evidence/",
        body,
        content_type="multipart/form-data; boundary=BoUnDaRy",
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {"file": ["one_file_only"]}
    assert not EvidenceDocument.objects.exists()
