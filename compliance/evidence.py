"""Checking uploaded evidence by its content, not by its name."""

import hashlib
from pathlib import PurePath

import filetype
from django.conf import settings

from .errors import InvalidInput
from .messages import Message

# PDF, images and office documents (Microsoft and OpenDocument).
ALLOWED_MIME_TYPES = {
    "application/pdf",
    "image/jpeg",
    "image/png",
    "image/tiff",
    "image/webp",
    "application/msword",
    "application/vnd.ms-excel",
    "application/vnd.ms-powerpoint",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.spreadsheet",
    "application/vnd.oasis.opendocument.presentation",
}


def stored_name(name, mime):
    """The name a document is stored under: its own stem, the extension of what it is
    (a PDF sent as poly.html is kept as poly.pdf, never served or opened as HTML)."""
    kind = filetype.get_type(mime=mime)
    stem = PurePath(name or "bukti").stem or "bukti"
    return f"{stem}.{kind.extension}" if kind else stem


def the_one_file(files, field):
    """A multipart body may carry several parts named `field`, and Django silently keeps
    the last: evidence is one document per upload, so several are refused."""
    uploads = files.getlist(field)
    if len(uploads) > 1:
        raise InvalidInput(
            Message("one_file_only", count=len(uploads)), errors={field: ["one_file_only"]}
        )
    return uploads[0] if uploads else None


def check_size(upload):
    """An uploaded document (evidence, a letter to verify) is at most EVIDENCE_MAX_BYTES."""
    if upload.size > settings.EVIDENCE_MAX_BYTES:
        limit_mb = settings.EVIDENCE_MAX_BYTES / (1024 * 1024)
        raise InvalidInput(
            Message("file_too_large_mb", limit_mb=f"{limit_mb:g}"), errors={"file": ["too_large"]}
        )


def inspect_upload(upload):
    """Return (mime type, sha256) of an acceptable upload, or raise InvalidInput."""
    check_size(upload)
    upload.seek(0)
    head = upload.read(8192)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in ALLOWED_MIME_TYPES:
        found = kind.mime if kind else "tidak dikenal/unknown"
        raise InvalidInput(
            Message("file_type_refused", found=found), errors={"file": ["unsupported_type"]}
        )
    digest = hashlib.sha256(head)
    for chunk in iter(lambda: upload.read(1 << 16), b""):
        digest.update(chunk)
    upload.seek(0)
    return kind.mime, digest.hexdigest()
