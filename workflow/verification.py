"""Public verification of a signed letter, by its number or by the file in hand: what
the page /verifikasi/ and the API GET|POST /api/v1/letters/verify/ answer. Nobody signs
in: the letter's number (printed on it, in its QR code) is all a reader has."""

from compliance.errors import NotFound
from compliance.evidence import check_size

from .messages import Message
from .models import Letter
from .signing import verify_pdf


def stored_pdf(letter):
    """The letter's stored PDF bytes, or None when none is kept."""
    storage = letter.pdf.storage
    if not letter.pdf.name or not storage.exists(letter.pdf.name):
        return None
    with storage.open(letter.pdf.name, "rb") as f:
        return f.read()


def is_signed(result):
    """Whether the file carried a signature at all (valid or not)."""
    return result["signer"] is not None or result["signed_at"] is not None


def verify_number(number):
    """The verification of the letter numbered `number`, from its stored PDF. A stored
    file whose signature names another number is not this letter's: not valid."""
    letter = Letter.objects.filter(number=number).order_by("-pk").first()
    if letter is None:
        raise NotFound(
            Message("no_letter_numbered", number=number),
            errors={"number": ["unknown"]},
        )
    data = stored_pdf(letter)
    result = verify_pdf(data) if data is not None else verify_pdf(b"")
    if result["number"] is not None and result["number"] != letter.number:
        result["valid"] = False
    return result


def verify_upload(upload):
    """The verification of an uploaded file (a Django UploadedFile), at most
    EVIDENCE_MAX_BYTES as any uploaded document."""
    check_size(upload)
    upload.seek(0)
    return verify_pdf(upload.read())
