"""Electronic signatures of written warnings (PAdES, pyHanko) and their verification.

Each signatory office (the Minister, each governor) signs with its own key, a PKCS#12
file in SIGNING_KEYS_DIR named by `key_file_name`. The signature is visible on the last
page: who signed, in which office, when, the letter's number, and a QR code that opens
the public verification page (/verifikasi/?nomor=...). `verify_pdf` answers what that
page and the API show: intact, chaining to a trusted root (SIGNING_TRUST_ROOTS) and
covering the whole file.

Laptops and the demo get a demo certificate authority (`ensure_demo_keys`, with the keys
in workflow/signing_keys.py); every letter it signs says so on its face. Pure library: no
model is written here."""

import asyncio
import io
import logging
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.parse import quote

import segno
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
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

from .messages import Message
from .seats import seat_of, zone_of
from .signing_keys import (
    ensure_demo_keys,
    is_demo,
    key_file_name,
    load_signer,
    on_demo_loaded,
    trust_roots_file,
)

# The keys' names are signing's too: the app's signal wiring (on_demo_loaded), seed_demo
# and the tests call them here.
__all__ = [
    "DEMO_MARK",
    "STAMP_HEIGHT",
    "STAMP_WIDTH",
    "UNSIGNED",
    "ensure_demo_keys",
    "is_demo",
    "key_file_name",
    "on_demo_loaded",
    "sign_pdf",
    "verification_url",
    "verify_pdf",
]

log = logging.getLogger(__name__)

FIELD_NAME = "TandaTanganElektronik"
REASON_PREFIX = "Surat teguran Nomor "
# A letter number has no spaces ("100.3.4/0004/Gub.15/2026"): the reason ends with it.
REASON_NUMBER = re.compile(re.escape(REASON_PREFIX) + r"(\S+)$")
DEMO_MARK = "TANDA TANGAN DEMO / DEMO SIGNATURE"

# The visible block, in PDF points (A4 is 595 × 842), on the last page near the bottom.
STAMP_WIDTH, STAMP_HEIGHT, STAMP_MARGIN = 300, 96, 36


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
    signer = load_signer(office)
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    except Exception as e:  # pyHanko's reader raises several kinds on a bad file
        raise Conflict(Message("letter_not_signable", error=str(e))) from e
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
