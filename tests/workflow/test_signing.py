"""Written warnings are signed electronically (PAdES, pyHanko) with the key of the office
the law names, with a visible signature block and a QR code to the public verification
page; verify_pdf tells an intact letter from a changed, extended or foreign one."""

import io
import re
import shutil
import subprocess

import pytest
import segno
from asn1crypto.x509 import Certificate
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from pyhanko.pdf_utils.generic import pdf_string
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from compliance.errors import Conflict
from compliance.models import Office, OfficeKind
from tests import signing_fixtures as keys
from tests.conftest import missing_service
from tests.signing_fixtures import SIGNED_AT, SIGNER, signatories, warning_letter
from workflow import letters, signing
from workflow import signing_keys as keys_module

# The fixtures this module uses, made once per run (tests/signing_fixtures.py).
demo_keys_dir, foreign_keys_dir = keys.demo_keys_dir, keys.foreign_keys_dir
signing_keys, small_pdf = keys.signing_keys, keys.small_pdf

NUMBER = "100.3.4/0004/Gub.15/2026"
GOVERNOR, MINISTER = signatories()


def sign(pdf, office=GOVERNOR, number=NUMBER):
    return signing.sign_pdf(
        pdf, office=office, signer_name=SIGNER, number=number, signed_at=SIGNED_AT
    )


def pdf_text(data, tmp_path):
    if shutil.which("pdftotext") is None:
        missing_service("pdftotext", "apt-get install poppler-utils")
    path = tmp_path / "signed.pdf"
    path.write_bytes(data)
    result = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    )
    return " ".join(result.stdout.split())


def links_on_last_page(data):
    reader = PdfFileReader(io.BytesIO(data))
    page = reader.root["/Pages"]["/Kids"][-1].get_object()
    return [
        str(a.get_object()["/A"]["/URI"])
        for a in page.get("/Annots", [])
        if a.get_object().get("/Subtype") == "/Link"
    ]


@pytest.mark.django_db
def test_a_rendered_letter_is_signed_and_pyhankos_own_validator_accepts_it(
    signing_keys, private_media, tmp_path
):
    letter = warning_letter()
    signed = signing.sign_pdf(
        letters.render_pdf(letter),
        office=letter.signatory_office,
        signer_name=SIGNER,
        number=letter.number,
        signed_at=SIGNED_AT,
    )
    roots = x509.load_pem_x509_certificates((signing_keys / "ca-demo.pem").read_bytes())
    context = ValidationContext(
        trust_roots=[Certificate.load(r.public_bytes(serialization.Encoding.DER)) for r in roots],
        allow_fetching=False,
    )
    (embedded,) = PdfFileReader(io.BytesIO(signed)).embedded_signatures
    status = validate_pdf_signature(embedded, signer_validation_context=context)
    assert status.bottom_line and status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert embedded.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"  # PAdES
    assert embedded.sig_object["/Location"] == "Jambi"
    assert signing.verify_pdf(signed) == {
        "valid": True,
        "number": letter.number,
        "signer": SIGNER,
        "office": "Gubernur Jambi",
        "signed_at": SIGNED_AT.isoformat(),  # as signed, in the signer's zone
        "modified_after_signing": False,
    }
    text = pdf_text(signed, tmp_path)
    assert "Teguran Tertulis I" in text  # the letter itself is still there
    assert f"Nomor: {letter.number}" in text and SIGNER in text and "Gubernur Jambi" in text
    assert "30 November 2026 09:15 WIB" in text  # the signing time, in the signer's zone
    assert signing.DEMO_MARK in text  # a demo key says so on the letter's face
    assert links_on_last_page(signed) == [signing.verification_url(letter.number)]


def test_the_qr_code_links_to_the_public_verification_page(settings, signing_keys, small_pdf):
    settings.SITE_URL = "https://ektp.kemendagri.example.go.id"
    signed = sign(small_pdf)
    url = "https://ektp.kemendagri.example.go.id/verifikasi/?nomor=100.3.4%2F0004%2FGub.15%2F2026"
    assert signing.verification_url(NUMBER) == url
    assert links_on_last_page(signed) == [url]  # clickable in a PDF reader
    assert qr_modules(signed) == dark_modules(segno.make(url, error="m", micro=False))


def qr_modules(signed):
    """The dark modules of the QR code drawn in the signature block, (row, column)."""
    field = PdfFileReader(io.BytesIO(signed)).embedded_signatures[0].sig_field
    qr = field["/AP"]["/N"]["/Resources"]["/XObject"]["/QR"].get_object()
    size = int(qr["/BBox"][2])
    cells = re.findall(rb"(\d+) (\d+) 1 1 re", qr.data)
    return {(size - 1 - int(y), int(x)) for x, y in cells}


def dark_modules(code, border=2):
    return {
        (row + border, col + border)
        for row, line in enumerate(code.matrix)
        for col, dark in enumerate(line)
        if dark
    }


def test_a_byte_changed_inside_the_signed_range_breaks_the_signature(signing_keys, small_pdf):
    signed = sign(small_pdf)
    forged = signed.replace(
        b"/Reason (Surat teguran Nomor 100", b"/Reason (Surat teguran Nomor 200", 1
    )
    assert forged != signed and len(forged) == len(signed)
    result = signing.verify_pdf(forged)
    assert result["valid"] is False


def test_an_update_appended_after_signing_is_reported(signing_keys, small_pdf):
    signed = sign(small_pdf)
    writer = IncrementalPdfFileWriter(io.BytesIO(signed))
    writer.root["/Catatan"] = pdf_string("ditambahkan kemudian / added later")
    writer.update_root()
    out = io.BytesIO()
    writer.write(out)
    result = signing.verify_pdf(out.getvalue())
    assert result["modified_after_signing"] is True
    assert result["valid"] is False
    assert result["number"] == NUMBER and result["signer"] == SIGNER  # still readable


def test_a_key_from_an_untrusted_authority_is_not_valid(
    settings, signing_keys, foreign_keys_dir, small_pdf
):
    settings.SIGNING_KEYS_DIR = foreign_keys_dir  # same CA name, another key
    signed = sign(small_pdf)
    settings.SIGNING_KEYS_DIR = signing_keys
    result = signing.verify_pdf(signed)
    assert result["valid"] is False
    assert result["modified_after_signing"] is False
    assert result["office"] == "Gubernur Jambi"  # what it claims, not what it proves


@pytest.mark.parametrize("data", [b"", b"garbage \x00\xff bytes", b"%PDF-1.7\nnot really"])
def test_garbage_is_not_valid_and_never_an_error(signing_keys, data):
    assert signing.verify_pdf(data) == signing.UNSIGNED


def test_an_unsigned_pdf_is_not_valid(signing_keys, small_pdf):
    assert signing.verify_pdf(small_pdf) == signing.UNSIGNED


def test_a_production_key_signs_without_the_demo_mark(settings, tmp_path, small_pdf):
    """A key from another CA, trusted through SIGNING_TRUST_ROOTS, with its own password."""
    settings.SIGNING_KEYS_DIR = tmp_path
    settings.SIGNING_KEY_PASSWORD = "rahasia-produksi"
    settings.SIGNING_TRUST_ROOTS = str(tmp_path / "roots.pem")
    ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca_name = keys_module._name("CA Uji Kemendagri", "Kementerian Dalam Negeri")
    ca = keys_module._certificate(ca_name, ca_key, ca_name, ca_key, ca=True)
    subject = keys_module._name("Menteri Dalam Negeri", "Kementerian Dalam Negeri")
    cert = keys_module._certificate(subject, key, ca_name, ca_key, ca=False)
    (tmp_path / "menteri.p12").write_bytes(keys_module._pkcs12("menteri", key, cert, [ca]))
    (tmp_path / "roots.pem").write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    signed = sign(small_pdf, office=MINISTER, number="100.3.4/0001/Dukcapil/2026")
    result = signing.verify_pdf(signed)
    assert result["valid"] is True and result["office"] == "Menteri Dalam Negeri"
    reader = PdfFileReader(io.BytesIO(signed))
    assert reader.embedded_signatures[0].sig_object["/Location"] == "Jakarta"
    assert signing.DEMO_MARK not in pdf_text(signed, tmp_path)
    assert signing.DEMO_MARK in pdf_text(sign_with_demo(settings, small_pdf), tmp_path)


def sign_with_demo(settings, pdf):
    settings.SIGNING_KEY_PASSWORD = ""
    settings.SIGNING_TRUST_ROOTS = ""
    settings.SIGNING_KEYS_DIR = settings.SIGNING_KEYS_DIR / "demo"
    signing.ensure_demo_keys([MINISTER])
    return sign(pdf, office=MINISTER, number="100.3.4/0002/Dukcapil/2026")


def test_a_missing_key_is_a_clear_error_in_production(settings, tmp_path, small_pdf):
    settings.SIGNING_DEMO_KEYS = False
    settings.SIGNING_KEYS_DIR = tmp_path
    with pytest.raises(Conflict) as refused:
        sign(small_pdf)
    assert str(tmp_path / "gubernur-15.p12") in refused.value.detail
    assert " / The signing key of Gubernur Jambi is missing" in refused.value.detail
    assert not any(tmp_path.iterdir())  # nothing made up in production


def test_on_a_laptop_a_missing_key_is_made_by_the_demo_ca(settings, tmp_path, small_pdf):
    settings.SIGNING_DEMO_KEYS = True
    settings.SIGNING_KEYS_DIR = tmp_path
    settings.SIGNING_TRUST_ROOTS = ""
    signed = sign(small_pdf)
    assert signing.verify_pdf(signed)["valid"] is True
    assert {p.name for p in tmp_path.iterdir()} == {"ca-demo.p12", "ca-demo.pem", "gubernur-15.p12"}


def test_demo_keys_are_made_once(settings, tmp_path):
    settings.SIGNING_KEYS_DIR = tmp_path
    signing.ensure_demo_keys(signatories())
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    assert set(before) == {"ca-demo.p12", "ca-demo.pem", "gubernur-15.p12", "menteri.p12"}
    signing.ensure_demo_keys(signatories())
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before
    ca = x509.load_pem_x509_certificate(before["ca-demo.pem"])
    assert signing.is_demo(ca)
    assert "BUKAN UNTUK PRODUKSI" in ca.subject.rfc4514_string()


def test_a_demo_key_from_a_replaced_ca_is_made_again(settings, tmp_path):
    settings.SIGNING_KEYS_DIR = tmp_path
    signing.ensure_demo_keys([GOVERNOR])
    (tmp_path / "ca-demo.p12").unlink()
    old = (tmp_path / "gubernur-15.p12").read_bytes()
    signing.ensure_demo_keys([GOVERNOR])
    assert (tmp_path / "gubernur-15.p12").read_bytes() != old


def test_key_file_names():
    assert signing.key_file_name(GOVERNOR) == "gubernur-15.p12"
    assert signing.key_file_name(MINISTER) == "menteri.p12"


@pytest.mark.django_db
def test_the_demo_makes_keys_for_jambis_governor_and_the_minister(settings, tmp_path):
    settings.SIGNING_KEYS_DIR = tmp_path
    signing.on_demo_loaded(sender=None, users={}, at=SIGNED_AT)
    assert {p.name for p in tmp_path.iterdir()} == {
        "ca-demo.p12",
        "ca-demo.pem",
        "gubernur-15.p12",
        "menteri.p12",
    }
    assert Office.objects.filter(kind=OfficeKind.MINISTER).exists()
