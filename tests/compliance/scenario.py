"""Steps that drive a regency through its lifecycle with the real services, and small
valid evidence files built in memory. Shared by the service-level lifecycle tests."""

import io
import struct
import zipfile
import zlib
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile

from compliance import services
from compliance.models import Regency, TransitionLog, ViolationKind
from tests.factories import carry_out, official, regency

MERANGIN = "15.02"  # hr violation in the Jambi story
TEBO = "15.09"  # organisational violation


# --- people -------------------------------------------------------------------
@dataclass
class Cast:
    """Who acts on one regency: a ministry officer, two directors and the regent."""

    regency: Regency
    officer: object
    director: object
    other_director: object
    regent: object

    @classmethod
    def of(cls, code):
        return cls(
            regency=regency(code),
            officer=official("ministry_officer"),
            director=official("ministry_director"),
            other_director=official("ministry_director"),
            regent=official(_head_kind(code), code),
        )


def _head_kind(code):
    return "mayor" if regency(code).kind == "kota" else "regent"


# --- steps --------------------------------------------------------------------
def flag(cast, kind=ViolationKind.HR, description=None):
    return services.flag_regency(
        regency=cast.regency,
        actor=cast.officer,
        kind=kind,
        description=description or "Kepala Dinas Dukcapil dimutasi tanpa persetujuan Menteri",
        legal_basis="UU 24/2013 Pasal 83A; Permendagri 76/2015",
    )


def request_suspension(cast, reason="Tidak menindaklanjuti surat teguran Dirjen"):
    return services.request_suspension(regency=cast.regency, actor=cast.officer, reason=reason)


def suspend(cast):
    """From flagged: an officer requests, a director approves, the network operators carry
    the cut out. Returns the period."""
    request = request_suspension(cast)
    order = services.approve_suspension(request=request, actor=cast.director, reason="Disetujui")
    return carry_out(order).period


def upload(cast, content=None, name="sk-bupati.pdf"):
    return services.upload_evidence(
        regency=cast.regency,
        actor=cast.regent,
        file=SimpleUploadedFile(name, content or pdf_bytes()),
        description="SK pengembalian pejabat",
    )


def statements_for(cast, documents=None):
    """One statement with evidence for every open violation of the open case."""
    documents = documents or [upload(cast)]
    case = cast.regency.cases.get(closed_at__isnull=True)
    return [
        {
            "violation": v.pk,
            "statement": f"Ditindaklanjuti: {v.kind}",
            "evidence": [d.pk for d in documents],
        }
        for v in case.violations.filter(remediated_at__isnull=True)
    ]


def remediate(cast):
    return services.submit_remediation(
        regency=cast.regency, actor=cast.regent, statements=statements_for(cast)
    )


def reconnect(cast):
    """A director orders the access restored and the network operators carry it out;
    returns the reconnection's log row."""
    order = services.reconnect_regency(regency=cast.regency, actor=cast.director, reason="Pulih")
    carry_out(order)
    return TransitionLog.objects.filter(regency=cast.regency, transition="reconnect").latest("id")


def state_of(regency_):
    return Regency.objects.get(pk=regency_.pk).state


def log_of(regency_):
    return list(TransitionLog.objects.filter(regency=regency_).order_by("id"))


# --- small valid files ---------------------------------------------------------------
def pdf_bytes():
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )


def png_bytes():
    def chunk(tag, data):
        body = tag + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)  # 1×1, 8-bit RGB
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def jpeg_bytes():
    # SOI, a JFIF APP0 segment, EOI: enough for a content check.
    app0 = b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    return b"\xff\xd8\xff\xe0" + struct.pack(">H", len(app0) + 2) + app0 + b"\xff\xd9"


def docx_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as docx:
        docx.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        docx.writestr(
            "word/document.xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            "<w:body><w:p><w:r><w:t>Perda SOTK Dinas Dukcapil tipe A</w:t></w:r></w:p>"
            "</w:body></w:document>",
        )
    return buffer.getvalue()


def exe_bytes():
    # The DOS header of a Windows executable ("MZ"), padded as a linker would.
    return b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 240
