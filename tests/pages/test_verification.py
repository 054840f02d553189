"""Anyone holding a written warning checks it at /verifikasi/ (the QR code's link) or
through the API, without signing in: by its number or by uploading its PDF."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pyhanko.pdf_utils.generic import pdf_string
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from tests import signing_fixtures as keys
from tests.pages.conftest import screenshot
from tests.signing_fixtures import SIGNER, sign_and_store, warning_letter

# The fixtures this module uses (tests/signing_fixtures.py).
demo_keys_dir, signing_keys, small_pdf = keys.demo_keys_dir, keys.signing_keys, keys.small_pdf
signed_letter = keys.signed_letter

PAGE = "/verifikasi/"
API = "/api/v1/letters/verify/"


def upload(data, name="surat.pdf"):
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def appended(signed):
    writer = IncrementalPdfFileWriter(io.BytesIO(signed))
    writer.root["/Catatan"] = pdf_string("ditambahkan kemudian")
    writer.update_root()
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def stored(letter):
    with letter.pdf.open("rb") as f:
        return f.read()


# --- the page ----------------------------------------------------------------------------


def test_the_qr_link_answers_at_once_for_anyone(client, signed_letter):
    response = client.get(PAGE, {"nomor": signed_letter.number})
    assert response.status_code == 200
    text = response.content.decode()
    assert "Tanda tangan sah" in text
    assert SIGNER in text and "Gubernur Jambi" in text and signed_letter.number in text
    assert "30 November 2026, 09:15 WIB" in text
    assert f'value="{signed_letter.number}"' in text  # the form keeps the number asked


def test_the_page_speaks_english_to_who_chose_it(client, signed_letter):
    client.cookies["django_language"] = "en"
    response = client.get(PAGE, {"nomor": signed_letter.number})
    assert "Valid signature" in response.content.decode()


@pytest.mark.django_db
def test_a_number_that_names_no_letter_says_so(client, signing_keys):
    response = client.get(PAGE, {"nomor": "100.3.4/9999/Gub.15/2026"})
    assert response.status_code == 200
    assert "Tidak ada surat bernomor 100.3.4/9999/Gub.15/2026." in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "shown", "not_shown"),
    [
        ("id", "Tidak ada surat bernomor 100.3.4/9999/Gub.15/2026.", "No letter is numbered"),
        ("en", "No letter is numbered 100.3.4/9999/Gub.15/2026.", "Tidak ada surat bernomor"),
    ],
)
def test_the_refusal_speaks_only_the_readers_language(
    client, signing_keys, language, shown, not_shown
):
    # The service's refusal is a code and its parameters, rendered for this reader.
    client.cookies["django_language"] = language
    text = client.get(PAGE, {"nomor": "100.3.4/9999/Gub.15/2026"}).content.decode()
    assert shown in text
    assert not_shown not in text


@pytest.mark.django_db
def test_a_letter_not_signed_yet_says_so(client, signing_keys, private_media):
    letter = warning_letter()
    response = client.get(PAGE, {"nomor": letter.number})
    assert "Surat ini belum ditandatangani secara elektronik." in response.content.decode()


def test_an_uploaded_signed_letter_is_verified(client, signed_letter):
    response = client.post(PAGE, {"berkas": upload(stored(signed_letter))})
    text = response.content.decode()
    assert "Tanda tangan sah" in text and SIGNER in text


def test_an_upload_changed_after_signing_is_flagged(client, signed_letter):
    response = client.post(PAGE, {"berkas": upload(appended(stored(signed_letter)))})
    text = response.content.decode()
    assert "Tanda tangan tidak sah" in text
    assert "Ya: berkas diubah setelah ditandatangani." in text


@pytest.mark.django_db
def test_an_unsigned_upload_carries_no_signature(client, signing_keys, small_pdf):
    response = client.post(PAGE, {"berkas": upload(small_pdf)})
    assert "Berkas ini tidak memuat tanda tangan elektronik." in response.content.decode()


@pytest.mark.django_db
def test_an_upload_over_the_limit_is_refused(client, settings, signing_keys, small_pdf):
    settings.EVIDENCE_MAX_BYTES = 100
    response = client.post(PAGE, {"berkas": upload(small_pdf)})
    assert "Berkas lebih besar dari" in response.content.decode()


# --- the API ------------------------------------------------------------------------------


def test_the_api_verifies_by_number_without_sign_in(client, signed_letter):
    response = client.get(API, {"number": signed_letter.number})
    assert response.status_code == 200
    assert response.json() == {
        "valid": True,
        "number": signed_letter.number,
        "signer": SIGNER,
        "office": "Gubernur Jambi",
        "signed_at": "2026-11-30T09:15:00+07:00",
        "modified_after_signing": False,
    }


def test_the_api_verifies_an_uploaded_file(client, signed_letter):
    response = client.post(API, {"file": upload(appended(stored(signed_letter)))})
    assert response.status_code == 200
    body = response.json()
    assert body["valid"] is False and body["modified_after_signing"] is True
    assert body["number"] == signed_letter.number


@pytest.mark.django_db
def test_the_api_says_not_valid_for_garbage(client, signing_keys):
    response = client.post(API, {"file": upload(b"bukan pdf", "x.pdf")})
    assert response.status_code == 200
    assert response.json()["valid"] is False


@pytest.mark.django_db
@pytest.mark.parametrize(
    "request_kwargs",
    [
        {"method": "get", "data": {}},
        {"method": "get", "data": {"number": "  "}},
        {"method": "post", "data": {}},
        {"method": "post", "data": {"file": "empty"}},
    ],
)
def test_the_api_refuses_a_missing_number_or_file(client, signing_keys, request_kwargs):
    data = dict(request_kwargs["data"])
    if data.get("file") == "empty":
        data["file"] = upload(b"")
    response = getattr(client, request_kwargs["method"])(API, data)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"


@pytest.mark.django_db
def test_the_api_answers_404_for_an_unknown_number(client, signing_keys):
    response = client.get(API, {"number": "100.3.4/9999/Gub.15/2026"})
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


def test_the_api_ignores_a_session_so_it_needs_no_csrf_token(signed_letter, officer):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(officer)
    response = client.post(API, {"file": upload(stored(signed_letter))})
    assert response.status_code == 200 and response.json()["valid"] is True


# --- in a browser, under the Content-Security-Policy --------------------------------------


def test_the_qr_link_in_a_browser(page, signing_keys, private_media, small_pdf):
    from workflow.default_policies import ensure_default_policies
    from workflow.models import EscalationPolicy, EscalationStep

    ensure_default_policies(EscalationPolicy, EscalationStep)  # flushed by earlier tests
    letter = warning_letter()
    sign_and_store(letter, small_pdf)
    page.goto(f"{PAGE}?nomor={letter.number}")
    verdict = page.locator("#verification-verdict")
    assert verdict.inner_text() == "Tanda tangan sah"
    assert page.locator("#verification-signer").inner_text() == SIGNER
    screenshot(page, "verification")
