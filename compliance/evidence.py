"""Checking uploaded evidence by its content, not by its name."""

import hashlib

import filetype
from django.conf import settings

from .errors import InvalidInput

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


def inspect_upload(upload):
    """Return (mime type, sha256) of an acceptable upload, or raise InvalidInput."""
    if upload.size > settings.EVIDENCE_MAX_BYTES:
        limit_mb = settings.EVIDENCE_MAX_BYTES / (1024 * 1024)
        raise InvalidInput(
            f"Berkas lebih besar dari {limit_mb:g} MB / File larger than {limit_mb:g} MB",
            errors={"file": ["too_large"]},
        )
    upload.seek(0)
    head = upload.read(8192)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in ALLOWED_MIME_TYPES:
        found = kind.mime if kind else "tidak dikenal/unknown"
        raise InvalidInput(
            "Jenis berkas tidak diterima (hanya PDF, gambar, dokumen perkantoran); isi berkas: "
            f"{found} / File type not accepted (PDF, image or office document only)",
            errors={"file": ["unsupported_type"]},
        )
    digest = hashlib.sha256(head)
    for chunk in iter(lambda: upload.read(1 << 16), b""):
        digest.update(chunk)
    upload.seek(0)
    return kind.mime, digest.hexdigest()
