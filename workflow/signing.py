"""Electronic signatures of written warnings (PAdES, pyHanko) and their verification.

Each signatory office (the Minister, each governor) signs with its own key, a PKCS#12
file in SIGNING_KEYS_DIR named by `key_file_name`. The signature is visible on the last
page: who signed, in which office, when, the letter's number, and a QR code that opens
the public verification page (/verifikasi/?nomor=...). `verify_pdf` answers what that
page and the API show: intact, chaining to a trusted root (SIGNING_TRUST_ROOTS) and
covering the whole file.

Laptops and the demo get a demo certificate authority (`ensure_demo_keys`); every
letter it signs says so on its face. Pure library: no model is written here."""

import asyncio
import datetime as dt
import io
import logging
import os
import re
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import segno
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.conf import settings
from django.utils import translation
from django.utils.formats import date_format
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.writer import init_xobject_dictionary
from pyhanko.sign import fields, signers
from pyhanko.sign.fields import SigSeedSubFilter
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko.stamp import QRStamp, QRStampStyle
from pyhanko_certvalidator import ValidationContext

from compliance.errors import Conflict
from compliance.models import OfficeKind

from .seats import seat_of, zone_of

log = logging.getLogger(__name__)

FIELD_NAME = "TandaTanganElektronik"
REASON_PREFIX = "Surat teguran Nomor "
# A letter number has no spaces ("100.3.4/0004/Gub.15/2026"): the reason ends with it.
REASON_NUMBER = re.compile(re.escape(REASON_PREFIX) + r"(\S+)$")

DEMO_CA_NAME = "CA Demo Kepatuhan KTP-el — BUKAN UNTUK PRODUKSI"
DEMO_CA_NOTE = "demo, not for production"
DEMO_CA_KEY_FILE = "ca-demo.p12"  # the CA's own key: issues the keys of offices added later
DEMO_CA_CERT_FILE = "ca-demo.pem"  # the trust root verification uses by default
DEMO_KEY_PASSWORD = "Demo-KTPel-2017"  # noqa: S105 (published, like the demo users' password)
DEMO_MARK = "TANDA TANGAN DEMO / DEMO SIGNATURE"
# Demo certificates span the demo's 2017 story and any date the tests move the clock to.
DEMO_VALID_FROM = dt.datetime(2010, 1, 1, tzinfo=dt.UTC)
DEMO_VALID_UNTIL = dt.datetime(2099, 12, 31, tzinfo=dt.UTC)

# The visible block, in PDF points (A4 is 595 × 842), on the last page near the bottom.
STAMP_WIDTH, STAMP_HEIGHT, STAMP_MARGIN = 300, 96, 36


# --- keys ---------------------------------------------------------------------------


def key_file_name(office):
    """The PKCS#12 file holding `office`'s signing key: menteri.p12, gubernur-15.p12;
    any other office by its kind and id (only these two kinds sign letters today)."""
    if office.kind == OfficeKind.MINISTER:
        return "menteri.p12"
    if office.kind == OfficeKind.GOVERNOR:
        return f"gubernur-{office.province.code}.p12"
    return f"{office.kind.replace('_', '-')}-{office.pk}.p12"


def keys_dir():
    return Path(settings.SIGNING_KEYS_DIR)


def trust_roots_file():
    configured = getattr(settings, "SIGNING_TRUST_ROOTS", "")
    return Path(configured) if configured else keys_dir() / DEMO_CA_CERT_FILE


def _password():
    return (getattr(settings, "SIGNING_KEY_PASSWORD", "") or DEMO_KEY_PASSWORD).encode()


def _load_signer(office):
    """A signer with the office's key and certificate chain; on a laptop (SIGNING_DEMO_KEYS,
    on with DEBUG) a missing key is made by the demo CA, in production it is a configuration
    error the signer must see."""
    path = keys_dir() / key_file_name(office)
    if not path.is_file() and settings.SIGNING_DEMO_KEYS:
        ensure_demo_keys([office])
    if not path.is_file():
        raise Conflict(
            f"Kunci tanda tangan {office.title} tidak ada: berkas {path} diharapkan "
            f"(SIGNING_KEYS_DIR). / The signing key of {office.title} is missing: "
            f"expected the file {path} (SIGNING_KEYS_DIR)."
        )
    try:
        return signers.SimpleSigner.load_pkcs12_data(
            path.read_bytes(), other_certs=[], passphrase=_password()
        )
    except ValueError:
        raise Conflict(
            f"Kunci tanda tangan {path} tidak dapat dibuka: periksa SIGNING_KEY_PASSWORD. / "
            f"The signing key {path} cannot be opened: check SIGNING_KEY_PASSWORD."
        ) from None


# --- the demo certificate authority ---------------------------------------------


def _name(common_name, organisation):
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name[:64]),
        ]
    )


DEMO_CA_SUBJECT = _name(DEMO_CA_NAME, DEMO_CA_NOTE)


def _certificate(subject, key, issuer, issuer_key, *, ca):
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(DEMO_VALID_FROM)
        .not_valid_after(DEMO_VALID_UNTIL)
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
    )
    if ca:
        usage = {"key_cert_sign": True, "crl_sign": True, "digital_signature": False}
    else:
        usage = {"key_cert_sign": False, "crl_sign": False, "digital_signature": True}
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()), False
        ).add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), False)
    builder = builder.add_extension(
        x509.KeyUsage(
            content_commitment=not ca,
            key_encipherment=False,
            data_encipherment=False,
            key_agreement=False,
            encipher_only=False,
            decipher_only=False,
            **usage,
        ),
        critical=True,
    )
    return builder.sign(issuer_key, hashes.SHA256())


def _pkcs12(name, key, cert, chain=()):
    encryption = serialization.BestAvailableEncryption(_password())
    return pkcs12.serialize_key_and_certificates(
        name.encode(), key, cert, list(chain) or None, encryption
    )


def _write_once(path, data):
    """Write `path` unless it exists; the first of two concurrent writers wins and both
    then read its file (two demo CAs at once would leave keys that chain to neither)."""
    with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as tmp:
        tmp.write(data)
    try:
        os.link(tmp.name, path)
    except FileExistsError:
        pass
    finally:
        os.unlink(tmp.name)
    return path.read_bytes()


def _replace(path, data):
    with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as tmp:
        tmp.write(data)
    os.replace(tmp.name, path)


def _demo_ca(directory):
    key = ec.generate_private_key(ec.SECP256R1())
    cert = _certificate(DEMO_CA_SUBJECT, key, DEMO_CA_SUBJECT, key, ca=True)
    data = _write_once(directory / DEMO_CA_KEY_FILE, _pkcs12("ca-demo", key, cert))
    key, cert, _ = pkcs12.load_key_and_certificates(data, _password())
    pem = cert.public_bytes(serialization.Encoding.PEM)
    pem_path = directory / DEMO_CA_CERT_FILE
    if not pem_path.is_file() or pem_path.read_bytes() != pem:
        _replace(pem_path, pem)
    return key, cert


def _issued_by(path, ca_cert):
    """Whether the office key at `path` exists and chains to this demo CA."""
    if not path.is_file():
        return False
    try:
        _, cert, _ = pkcs12.load_key_and_certificates(path.read_bytes(), _password())
        cert.verify_directly_issued_by(ca_cert)
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True


def ensure_demo_keys(offices, *, directory=None):
    """Create, once, the demo CA and a demo key for each office in `offices` (PKCS#12 in
    SIGNING_KEYS_DIR, or `directory`), plus the CA's PEM. Returns the office key paths.
    A key that does not chain to the demo CA on file (a CA deleted since) is replaced."""
    directory = Path(directory or keys_dir())
    directory.mkdir(parents=True, exist_ok=True)
    ca_key, ca_cert = _demo_ca(directory)
    paths = []
    for office in offices:
        path = directory / key_file_name(office)
        if not _issued_by(path, ca_cert):
            key = ec.generate_private_key(ec.SECP256R1())
            subject = _name(office.title, "Kementerian Dalam Negeri (demo)")
            cert = _certificate(subject, key, ca_cert.subject, ca_key, ca=False)
            _replace(path, _pkcs12(path.stem, key, cert, [ca_cert]))
            log.info("demo signing key written: %s", path)
        paths.append(path)
    return paths


def is_demo(cert):
    """A certificate issued by the demo CA (cryptography or asn1crypto certificate)."""
    if isinstance(cert, asn1_x509.Certificate):
        cert = x509.load_der_x509_certificate(cert.dump())
    return cert.issuer == DEMO_CA_SUBJECT or cert.subject == DEMO_CA_SUBJECT


def on_demo_loaded(sender, **kwargs):
    """seed_demo: keys for the offices that sign the demo's letters (the governors of
    Jambi, province 15, and the Minister), so that `make run` signs without setup."""
    from compliance.models import Office

    from .letters import minister_office

    governors = Office.objects.filter(kind=OfficeKind.GOVERNOR, province__code="15")
    ensure_demo_keys([*governors.select_related("province"), minister_office()])


def _outside_event_loop(fn, *args, **kwargs):
    """pyHanko's synchronous calls start their own event loop (asyncio.run), which fails
    in a thread already running one (an ASGI worker, Playwright's sync API in the tests):
    there, the call runs in a thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return fn(*args, **kwargs)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(fn, *args, **kwargs).result()


# --- signing ------------------------------------------------------------------------


def verification_url(number):
    return f"{settings.SITE_URL}/verifikasi/?nomor={quote(number, safe='')}"


def _ascii(text):
    """The stamp's standard font (Courier) has no glyph beyond Latin-1."""
    return text.encode("latin-1", "replace").decode("latin-1")


def _stamp_text(*, office, signer_name, number, signed_at, demo):
    local = signed_at.astimezone(zone_of(office))
    with translation.override("id"):
        day = date_format(local, "j F Y")
    lines = [
        "Ditandatangani secara elektronik / Electronically signed",
        signer_name or "-",
        office.title,
        f"Nomor: {number}",
        f"{day} {local:%H:%M} {local.tzname()}",
        "Pindai kode QR untuk verifikasi / Scan the QR code to verify",
    ]
    if demo:
        lines.insert(0, DEMO_MARK)
    return _ascii("\n".join(lines))


class SegnoQRStamp(QRStamp):
    """pyHanko's QR stamp, its code drawn from segno's matrix (the qrcode package
    pyHanko would import is not among our dependencies; segno already is)."""

    def _qr_xobject(self):
        code = segno.make(self.url, error="m", micro=False)
        border = 2
        matrix = code.matrix
        size = len(matrix) + 2 * border
        # PDF's y axis points up: row 0 of the matrix is the top.
        squares = [
            b"%d %d 1 1 re" % (col + border, size - border - row - 1)
            for row, line in enumerate(matrix)
            for col, dark in enumerate(line)
            if dark
        ]
        stream = b"\n".join([b"0 0 0 rg", *squares, b"f"])
        xobject = init_xobject_dictionary(stream, size, size)
        xobject.compress()
        return self.writer.add_object(xobject), size


@dataclass(frozen=True)
class SegnoQRStampStyle(QRStampStyle):
    def create_stamp(self, writer, box, text_params):
        params = dict(text_params)
        url = params.pop("url")
        return SegnoQRStamp(writer, style=self, url=url, text_params=params, box=box)


STAMP_STYLE = SegnoQRStampStyle(stamp_text="%(body)s", border_width=1, background=None)


class _DatedPdfSigner(signers.PdfSigner):
    """pyHanko takes the signing time from the clock; the letter gives its own."""

    def __init__(self, *args, signed_at, **kwargs):
        super().__init__(*args, **kwargs)
        self._signed_at = signed_at

    def init_signing_session(self, pdf_out, existing_fields_only=False):
        session = super().init_signing_session(pdf_out, existing_fields_only)
        session.system_time = self._signed_at
        return session


def _stamp_box(writer, spot):
    """Where the letter left room for the signature (`spot`: page index, left and top in
    PDF points, from workflow/letters.py); else the bottom right of the last page."""
    if spot is not None:
        page, left, top = spot
        return page, (int(left), int(top - STAMP_HEIGHT), int(left + STAMP_WIDTH), int(top))
    pages = writer.root["/Pages"]
    last = writer.find_page_for_modification(-1)[0].get_object()
    x0, y0, x1, _ = (float(v) for v in last.get("/MediaBox", pages.get("/MediaBox")))
    right = x1 - STAMP_MARGIN
    bottom = y0 + STAMP_MARGIN
    return -1, (int(right - STAMP_WIDTH), int(bottom), int(right), int(bottom + STAMP_HEIGHT))


def _link(writer, page, box, url):
    """A link over the signature block, in the signed revision: a reader clicks what a
    phone would scan (pyHanko draws a signature's QR code without one)."""
    page_ref = writer.find_page_for_modification(page)[0]
    annotation = generic.DictionaryObject(
        {
            generic.pdf_name("/Type"): generic.pdf_name("/Annot"),
            generic.pdf_name("/Subtype"): generic.pdf_name("/Link"),
            generic.pdf_name("/Rect"): generic.ArrayObject(map(generic.FloatObject, box)),
            generic.pdf_name("/Border"): generic.ArrayObject([generic.NumberObject(0)] * 3),
            generic.pdf_name("/A"): generic.DictionaryObject(
                {
                    generic.pdf_name("/S"): generic.pdf_name("/URI"),
                    generic.pdf_name("/URI"): generic.pdf_string(url),
                }
            ),
        }
    )
    writer.register_annotation(page_ref, writer.add_object(annotation))


def sign_pdf(pdf, *, office, signer_name, number, signed_at, spot=None):
    """`pdf` signed (PAdES B-B) with `office`'s key, with a visible signature block and
    a QR code to the public verification page, in the room the letter left for it
    (`spot`) or else at the bottom of its last page."""
    signer = _load_signer(office)
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    except Exception as e:  # pyHanko's reader raises several kinds on a bad file
        raise Conflict(
            "Berkas surat bukan PDF yang dapat ditandatangani. / "
            f"The letter file is not a PDF that can be signed ({e})."
        ) from e
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        reason=f"{REASON_PREFIX}{number}",
        location=seat_of(office),
        name=signer_name or office.title,
        subfilter=SigSeedSubFilter.PADES,
        md_algorithm="sha256",
    )
    page, box = _stamp_box(writer, spot)
    _link(writer, page, box, verification_url(number))
    field = fields.SigFieldSpec(FIELD_NAME, on_page=page, box=box)
    pdf_signer = _DatedPdfSigner(
        meta, signer, stamp_style=STAMP_STYLE, new_field_spec=field, signed_at=signed_at
    )
    body = _stamp_text(
        office=office,
        signer_name=signer_name,
        number=number,
        signed_at=signed_at,
        demo=is_demo(signer.signing_cert),
    )
    out = _outside_event_loop(
        pdf_signer.sign_pdf,
        writer,
        appearance_text_params={"body": body, "url": verification_url(number)},
    )
    return out.getvalue()


# --- verification -------------------------------------------------------------------

UNSIGNED = {
    "valid": False,
    "number": None,
    "signer": None,
    "office": None,
    "signed_at": None,
    "modified_after_signing": False,
}


def _trust_roots():
    path = trust_roots_file()
    if not path.is_file():
        log.warning("no signing trust roots at %s: no signature can be valid", path)
        return []
    return [
        asn1_x509.Certificate.load(c.public_bytes(serialization.Encoding.DER))
        for c in x509.load_pem_x509_certificates(path.read_bytes())
    ]


def _signed_number(sig):
    match = REASON_NUMBER.search(str(sig.sig_object.get("/Reason", "")))
    return match.group(1) if match else None


def _office_of(cert):
    """The office a certificate names: its subject's common name (an office title)."""
    names = cert.subject.native
    return names.get("common_name")


def verify_pdf(pdf):
    """What a verifier needs to know about a signed letter. Never raises on bad input:
    an unsigned, broken or foreign file is simply not valid."""
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        signatures = reader.embedded_regular_signatures
    except Exception:  # noqa: BLE001 (whatever the bytes, the answer is "not valid")
        return dict(UNSIGNED)
    if not signatures:
        return dict(UNSIGNED)
    sig = signatures[0]  # the letter's signature: the first, over the letter as issued
    roots = _trust_roots()
    context = ValidationContext(trust_roots=roots, allow_fetching=False)
    try:
        status = _outside_event_loop(validate_pdf_signature, sig, signer_validation_context=context)
    except Exception:  # noqa: BLE001
        log.warning("signature validation failed", exc_info=True)
        return dict(UNSIGNED)
    whole = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    signed_at = status.signer_reported_dt
    return {
        "valid": bool(status.intact and status.valid and status.trusted and whole and roots),
        "number": _signed_number(sig),
        "signer": str(sig.sig_object.get("/Name", "")) or None,
        "office": _office_of(status.signing_cert),
        "signed_at": signed_at.isoformat() if signed_at else None,
        "modified_after_signing": not whole,
    }
