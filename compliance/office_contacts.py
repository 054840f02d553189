"""Load the real e-mail addresses of regional offices, and their holders' names, from a
CSV file: every row checked, all written or none.

The header is exactly `office_kind,region_code,email,holder_name` (fields may be quoted:
names carry commas, "Dr. H. Budi, M.Si."). Head-of-region seats exist from load_regions
with a generated placeholder address (@OFFICE_EMAIL_DOMAIN) that reaches nobody; this is
how their real addresses arrive, 552 at once. A seat that does not exist yet (a provincial
Dukcapil head's) is created with its title. An empty holder_name leaves the name the
office has; the name is what letters print when no user holding the seat has one
(workflow.letters.signer_name). Every bad row is reported with its line and reason;
running the same file again changes nothing.
"""

import csv
import io
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from .models import Office, OfficeKind, Province, Regency
from .offices import head_kind, is_placeholder_address, new_office

HEADER = ("office_kind", "region_code", "email", "holder_name")
PROVINCIAL_KINDS = (OfficeKind.GOVERNOR, OfficeKind.PROVINCIAL_DUKCAPIL_HEAD)
REGENCY_KINDS = (OfficeKind.REGENT, OfficeKind.MAYOR, OfficeKind.REGENCY_DUKCAPIL_HEAD)
KINDS = PROVINCIAL_KINDS + REGENCY_KINDS
HOLDER_NAME_MAX = Office._meta.get_field("holder_name").max_length

# (Bahasa Indonesia, English): the command shows both, like every other message of ours.
MESSAGES = {
    "wrong_header": (
        "Baris pertama harus persis %(expected)s (ditemukan: %(found)s).",
        "The first line must be exactly %(expected)s (found: %(found)s).",
    ),
    "not_utf8": (
        "Berkas bukan teks UTF-8 mulai baris ini.",
        "The file is not UTF-8 text from this line on.",
    ),
    "column_count": (
        "Seharusnya %(expected)s kolom, ditemukan %(found)s.",
        "Expected %(expected)s columns, found %(found)s.",
    ),
    "unknown_kind": (
        "Jenis jabatan '%(kind)s' tidak dapat dimuat; pilih salah satu dari: %(kinds)s.",
        "Office kind '%(kind)s' cannot be loaded; choose one of: %(kinds)s.",
    ),
    "unknown_region": (
        "Kode wilayah '%(code)s' tidak dikenal (kode Kemendagri bertitik, contoh: %(example)s).",
        "Unknown region code '%(code)s' (a Kemendagri code with dots, e.g. %(example)s).",
    ),
    "needs_province": (
        "'%(kind)s' memerlukan kode provinsi (contoh: 15), bukan '%(code)s'.",
        "'%(kind)s' needs a province code (e.g. 15), not '%(code)s'.",
    ),
    "needs_regency": (
        "'%(kind)s' memerlukan kode kabupaten/kota (contoh: 15.02), bukan '%(code)s'.",
        "'%(kind)s' needs a regency or city code (e.g. 15.02), not '%(code)s'.",
    ),
    "wrong_head": (
        "%(region)s dipimpin oleh '%(expected)s', bukan '%(kind)s'.",
        "%(region)s is headed by a '%(expected)s', not a '%(kind)s'.",
    ),
    "invalid_email": (
        "Alamat surel '%(value)s' tidak valid.",
        "Invalid e-mail address '%(value)s'.",
    ),
    "placeholder_email": (
        "'%(value)s' adalah alamat bawaan (@%(domain)s), bukan alamat jabatan yang sebenarnya.",
        "'%(value)s' is the generated placeholder (@%(domain)s), not the office's real address.",
    ),
    "holder_name_too_long": (
        "holder_name lebih dari %(max)s karakter.",
        "holder_name is longer than %(max)s characters.",
    ),
    "duplicate": (
        "Jabatan yang sama dengan baris %(first_line)s.",
        "The same office as line %(first_line)s.",
    ),
}


def error(line, field_name, code, /, **params):
    return {"line": line, "field": field_name, "code": code, "params": params}


def bilingual(error):
    """'Bahasa Indonesia / English'."""
    indonesian, english = MESSAGES[error["code"]]
    return f"{indonesian % error['params']} / {english % error['params']}"


@dataclass
class ContactRow:
    line: int
    kind: str
    province: Province
    regency: Regency | None
    email: str
    holder_name: str

    @property
    def seat(self):
        return (self.kind, self.province.pk, self.regency and self.regency.pk)


@dataclass
class ContactsResult:
    rows_total: int = 0
    created: list = field(default_factory=list)  # offices
    updated: list = field(default_factory=list)  # (office, its address before)
    unchanged: int = 0
    errors: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.errors

    @property
    def changed(self):
        return bool(self.created or self.updated)


# --- the checks of one row ---------------------------------------------------------


class Regions:
    """Every province and regency by code, read once for the whole file."""

    def __init__(self):
        self.provinces = {p.code: p for p in Province.objects.all()}
        self.regencies = {r.code: r for r in Regency.objects.select_related("province")}


def _region(line, kind, code, regions):
    """((province, regency), None) for the row's office, or (None, error)."""
    provincial = kind in PROVINCIAL_KINDS
    if provincial and code in regions.provinces:
        return (regions.provinces[code], None), None
    regency = regions.regencies.get(code)
    if regency is None:
        if code in regions.provinces:
            return None, error(line, "region_code", "needs_regency", kind=kind, code=code)
        example = "15" if provincial else "15.02"
        return None, error(line, "region_code", "unknown_region", code=code, example=example)
    if provincial:
        return None, error(line, "region_code", "needs_province", kind=kind, code=code)
    expected = head_kind(regency)
    if kind in (OfficeKind.REGENT, OfficeKind.MAYOR) and kind != expected:
        return None, error(
            line, "office_kind", "wrong_head", region=regency.name, expected=expected, kind=kind
        )
    return (regency.province, regency), None


def _email_error(line, email):
    try:
        validate_email(email)
    except ValidationError:
        return error(line, "email", "invalid_email", value=email)
    if is_placeholder_address(email):
        domain = settings.OFFICE_EMAIL_DOMAIN
        return error(line, "email", "placeholder_email", value=email, domain=domain)
    return None


def check_row(line, fields, regions):
    """(errors, ContactRow or None) for one CSV record."""
    if len(fields) != len(HEADER):
        return [error(line, None, "column_count", expected=len(HEADER), found=len(fields))], None
    kind, code, email, holder_name = (f.strip() for f in fields)
    errors, place = [], None
    if kind in KINDS:
        place, region_error = _region(line, kind, code, regions)
        errors += [region_error] if region_error else []
    else:
        errors.append(error(line, "office_kind", "unknown_kind", kind=kind, kinds=", ".join(KINDS)))
    if email_error := _email_error(line, email):
        errors.append(email_error)
    if len(holder_name) > HOLDER_NAME_MAX:
        errors.append(error(line, "holder_name", "holder_name_too_long", max=HOLDER_NAME_MAX))
    if errors:
        return errors, None
    return [], ContactRow(line, kind, *place, email, holder_name)


# --- reading the file ----------------------------------------------------------------


def _text(data):
    """(text, None), or (None, error) naming the first line that is not UTF-8."""
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as e:
        return None, error(data[: e.start].count(b"\n") + 1, None, "not_utf8")


def _header_error(first):
    found = tuple(f.strip() for f in first or ())
    if found == HEADER:
        return None
    return error(1, None, "wrong_header", expected=",".join(HEADER), found=",".join(found))


def read_rows(data):
    """(rows, errors, data lines read) for the file's bytes; rows only when no error."""
    text, decode_error = _text(data)
    if decode_error:
        return [], [decode_error], 0
    records = csv.reader(io.StringIO(text, newline=""))
    if header_error := _header_error(next(records, None)):
        return [], [header_error], 0
    regions, rows, errors, total, first_line = Regions(), [], [], 0, {}
    for fields in records:
        if not any(f.strip() for f in fields):
            continue  # blank lines
        total += 1
        row_errors, row = check_row(records.line_num, fields, regions)
        errors += row_errors
        if row and row.seat in first_line:
            errors.append(error(row.line, None, "duplicate", first_line=first_line[row.seat]))
        elif row:
            first_line[row.seat] = row.line
            rows.append(row)
    return rows, errors, total


# --- writing -------------------------------------------------------------------------


def _apply(office, row):
    """Whether the row changes the office (set on it, unsaved)."""
    name = row.holder_name or office.holder_name  # an empty name keeps the one known
    if (office.email, office.holder_name) == (row.email, name):
        return False
    office.email, office.holder_name = row.email, name
    return True


def _write(rows, result):
    seats = {
        (o.kind, o.province_id, o.regency_id): o for o in Office.objects.filter(kind__in=KINDS)
    }
    for row in rows:
        office = seats.get(row.seat)
        if office is None:
            office = new_office(row.kind, row.province, row.regency)
            _apply(office, row)
            result.created.append(office)
            continue
        before = office.email
        if _apply(office, row):
            result.updated.append((office, before))
        else:
            result.unchanged += 1
    Office.objects.bulk_create(result.created)
    Office.objects.bulk_update([office for office, _ in result.updated], ["email", "holder_name"])


def import_office_contacts(source):
    """Check every row of the open binary CSV file `source` and, when none is bad, write
    them all in one transaction. Returns a ContactsResult."""
    with transaction.atomic():
        rows, errors, total = read_rows(source.read())
        result = ContactsResult(rows_total=total, errors=errors)
        if not errors:
            _write(rows, result)
    return result
