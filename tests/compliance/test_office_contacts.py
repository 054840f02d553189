"""import_office_contacts: the real addresses (and holders' names) of regional offices from
a CSV file; every bad row reported with its line, all written or none, a second run
changes nothing."""

import datetime as dt
from io import BytesIO, StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from compliance.models import Office, OfficeKind
from compliance.office_contacts import import_office_contacts
from tests.factories import official
from workflow.letters import signer_name

pytestmark = pytest.mark.django_db

HEADER = "office_kind,region_code,email,holder_name\n"
SAMPLE = Path(settings.BASE_DIR) / "compliance" / "data" / "office-contacts.sample.csv"
GOOD = (
    HEADER
    + "governor,15,gubernur@jambiprov.example.go.id,Budi Santoso\n"
    + 'regent,15.09,bupati@tebokab.example.go.id,"Siti Rahmawati, S.E., M.Si."\n'
    + "mayor,15.71,walikota@jambikota.example.go.id,\n"
    + "provincial_dukcapil_head,15,disdukcapil@jambiprov.example.go.id,\n"
    + "regency_dukcapil_head,15.02,disdukcapil@meranginkab.example.go.id,Andi Wijaya\n"
)


def run(tmp_path, text, err=None):
    """(stdout, stderr) of the command on a file holding `text` (str, or bytes as is)."""
    path = tmp_path / "contacts.csv"
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    out, err = StringIO(), err or StringIO()
    call_command("import_office_contacts", str(path), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def refused(tmp_path, text):
    """The command's error lines on a bad file, after checking that it wrote nothing."""
    before, err = snapshot(), StringIO()
    with pytest.raises(CommandError, match="tidak ada yang ditulis. / .*nothing written") as e:
        run(tmp_path, text, err)
    assert e.value.returncode == 1
    assert snapshot() == before
    return err.getvalue().splitlines()


def errors_of(text):
    """[(line, code)] the service finds in the file."""
    result = import_office_contacts(BytesIO(text.encode("utf-8")))
    return [(e["line"], e["code"]) for e in result.errors]


def snapshot():
    return sorted(Office.objects.values_list("kind", "title", "email", "holder_name"))


def office(title):
    return Office.objects.get(title=title)


# --- a good file ---------------------------------------------------------------------


def test_loads_addresses_and_names_and_creates_the_missing_seats(tmp_path):
    out, _ = run(tmp_path, GOOD)

    assert office("Gubernur Jambi").email == "gubernur@jambiprov.example.go.id"
    assert office("Gubernur Jambi").holder_name == "Budi Santoso"
    assert office("Bupati Tebo").holder_name == "Siti Rahmawati, S.E., M.Si."
    assert office("Wali Kota Jambi").email == "walikota@jambikota.example.go.id"
    created = office("Kepala Dinas Kependudukan dan Pencatatan Sipil Provinsi Jambi")
    assert (created.kind, created.province.code, created.regency) == (
        OfficeKind.PROVINCIAL_DUKCAPIL_HEAD,
        "15",
        None,
    )
    assert (
        office("Kepala Dinas Kependudukan dan Pencatatan Sipil Kabupaten Merangin").regency.code
        == "15.02"
    )
    assert "Bupati Tebo: bupati.tebo@pemda.example.go.id -> bupati@tebokab" in out
    assert out.splitlines()[-1] == (
        "2 jabatan dibuat, 3 diperbarui, 0 tetap. / 2 offices created, 3 updated, 0 unchanged."
    )


def test_a_second_run_with_the_same_file_changes_nothing_and_says_so(tmp_path):
    run(tmp_path, GOOD)
    before = snapshot()

    out, _ = run(tmp_path, GOOD)

    assert snapshot() == before
    assert out.strip() == (
        "Alamat jabatan sudah mutakhir, tidak ada perubahan. / "
        "Office contacts up to date, nothing changed."
    )


def test_an_empty_holder_name_keeps_the_name_the_office_has(tmp_path):
    run(tmp_path, HEADER + "regent,15.09,bupati@tebo.go.id,Siti Rahmawati\n")

    out, _ = run(tmp_path, HEADER + "regent,15.09,bupati@tebo.go.id,\n")

    assert office("Bupati Tebo").holder_name == "Siti Rahmawati"
    assert "nothing changed" in out


def test_a_changed_address_is_updated_and_the_rest_left_as_is(tmp_path):
    run(tmp_path, GOOD)

    out, _ = run(tmp_path, GOOD.replace("bupati@tebokab", "bupati.baru@tebokab"))

    assert office("Bupati Tebo").email == "bupati.baru@tebokab.example.go.id"
    assert out.splitlines()[-1].startswith("0 jabatan dibuat, 1 diperbarui, 4 tetap.")


def test_a_spreadsheets_file_reads_alike(tmp_path):
    # Excel's UTF-8 export: a byte-order mark, CRLF line ends, blank lines, padded fields.
    text = "\ufeff" + HEADER.replace("\n", "\r\n") + "\r\n governor , 15 , g@jambiprov.go.id ,\r\n"
    run(tmp_path, text)

    assert office("Gubernur Jambi").email == "g@jambiprov.go.id"


def test_the_sample_file_imports_cleanly(tmp_path):
    out = StringIO()
    call_command("import_office_contacts", str(SAMPLE), stdout=out)

    assert "0 tetap" in out.getvalue()
    assert office("Gubernur Jambi").email == "gubernur@jambiprov.example.go.id"
    assert office("Bupati Merangin").email.endswith("@meranginkab.example.go.id")
    assert office("Bupati Tebo").email.endswith("@tebokab.example.go.id")
    assert office("Wali Kota Jambi").email.endswith("@jambikota.example.go.id")


# --- the holder's name on letters ----------------------------------------------------


def test_letters_print_the_reported_name_when_no_user_holding_the_seat_has_one(tmp_path):
    run(tmp_path, GOOD)
    day = dt.date(2026, 11, 2)
    governor = office("Gubernur Jambi")

    assert signer_name(governor, day) == "Budi Santoso"
    official("governor", "15")  # a user without a name: the reported one still shows
    assert signer_name(governor, day) == "Budi Santoso"


def test_a_named_user_holding_the_seat_signs_with_his_own_name(tmp_path):
    run(tmp_path, GOOD)
    user = official("governor", "15")
    get_user_model().objects.filter(pk=user.pk).update(first_name="Ahmad", last_name="Fauzi")

    assert signer_name(office("Gubernur Jambi"), dt.date(2026, 11, 2)) == "Ahmad Fauzi"


# --- bad files -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        (
            "regent,15.99,b@x.go.id,",
            "Kode wilayah '15.99' tidak dikenal (kode Kemendagri bertitik, contoh: 15.02). / "
            "Unknown region code '15.99' (a Kemendagri code with dots, e.g. 15.02).",
        ),
        (
            "regent,1509,b@x.go.id,",
            "Kode wilayah '1509' tidak dikenal (kode Kemendagri bertitik, contoh: 15.02). / "
            "Unknown region code '1509' (a Kemendagri code with dots, e.g. 15.02).",
        ),
        (
            "regent,15.71,b@x.go.id,",
            "Kota Jambi dipimpin oleh 'mayor', bukan 'regent'. / "
            "Kota Jambi is headed by a 'mayor', not a 'regent'.",
        ),
        (
            "mayor,15.09,b@x.go.id,",
            "Kabupaten Tebo dipimpin oleh 'regent', bukan 'mayor'. / "
            "Kabupaten Tebo is headed by a 'regent', not a 'mayor'.",
        ),
        (
            "governor,15.02,b@x.go.id,",
            "'governor' memerlukan kode provinsi (contoh: 15), bukan '15.02'. / "
            "'governor' needs a province code (e.g. 15), not '15.02'.",
        ),
        (
            "regency_dukcapil_head,15,b@x.go.id,",
            "'regency_dukcapil_head' memerlukan kode kabupaten/kota (contoh: 15.02), bukan "
            "'15'. / 'regency_dukcapil_head' needs a regency or city code (e.g. 15.02), not '15'.",
        ),
        (
            "bupati,15.09,b@x.go.id,",
            "Jenis jabatan 'bupati' tidak dapat dimuat; pilih salah satu dari: governor, "
            "provincial_dukcapil_head, regent, mayor, regency_dukcapil_head. / Office kind "
            "'bupati' cannot be loaded; choose one of: governor, provincial_dukcapil_head, "
            "regent, mayor, regency_dukcapil_head.",
        ),
        (
            "minister,,b@x.go.id,",
            "Jenis jabatan 'minister' tidak dapat dimuat",
        ),
        (
            "regent,15.09,bupati tebo,",
            "Alamat surel 'bupati tebo' tidak valid. / Invalid e-mail address 'bupati tebo'.",
        ),
        (
            "regent,15.09,,",
            "Alamat surel '' tidak valid. / Invalid e-mail address ''.",
        ),
        (
            "regent,15.09,bupati.tebo@pemda.example.go.id,",
            "'bupati.tebo@pemda.example.go.id' adalah alamat bawaan (@pemda.example.go.id), "
            "bukan alamat jabatan yang sebenarnya. / 'bupati.tebo@pemda.example.go.id' is the "
            "generated placeholder (@pemda.example.go.id), not the office's real address.",
        ),
        (
            "regent,15.09,b@x.go.id," + "A" * 201,
            "holder_name lebih dari 200 karakter. / holder_name is longer than 200 characters.",
        ),
        (
            "regent,15.09,b@x.go.id",
            "Seharusnya 4 kolom, ditemukan 3. / Expected 4 columns, found 3.",
        ),
    ],
)
def test_a_bad_row_is_reported_with_its_line_and_reason(tmp_path, row, reason):
    text = HEADER + "governor,15,gubernur@jambiprov.go.id,\n" + row + "\n"

    [line] = refused(tmp_path, text)

    assert line.startswith(f"baris/line 3: {reason}")


def test_a_duplicate_row_names_the_line_of_the_first(tmp_path):
    text = (
        HEADER
        + "regent,15.09,a@tebo.go.id,\nmayor,15.71,w@jambi.go.id,\nregent,15.09,b@tebo.go.id,\n"
    )

    assert refused(tmp_path, text) == [
        "baris/line 4: Jabatan yang sama dengan baris 2. / The same office as line 2."
    ]


@pytest.mark.parametrize(
    "first_line",
    ["kind,region,email,name", "office_kind;region_code;email;holder_name", "", "regent,15.09"],
)
def test_a_file_without_the_header_is_refused_at_line_1(tmp_path, first_line):
    text = first_line + "\nregent,15.09,bupati@tebo.go.id,\n"

    [line] = refused(tmp_path, text)

    assert line.startswith(
        "baris/line 1: Baris pertama harus persis office_kind,region_code,email,holder_name "
        f"(ditemukan: {first_line}). / The first line must be exactly"
    )


def test_an_empty_file_is_refused(tmp_path):
    [line] = refused(tmp_path, "")

    assert "Baris pertama harus persis" in line


def test_a_file_that_is_not_utf8_is_refused_at_the_first_bad_line(tmp_path):
    text = (HEADER + "regent,15.09,b@tebo.go.id,\nregent,15.02,b@merangin.go.id,Sit").encode()
    [line] = refused(tmp_path, text + b"i \xe9\n")

    assert line == (
        "baris/line 3: Berkas bukan teks UTF-8 mulai baris ini. / "
        "The file is not UTF-8 text from this line on."
    )


def test_every_bad_row_is_reported_in_order_and_nothing_is_written(tmp_path):
    text = (
        HEADER
        + "governor,15,gubernur@jambiprov.go.id,Budi Santoso\n"  # good
        + "regent,15.71,b@x.go.id,\n"  # 3: a regent on a kota
        + "provincial_dukcapil_head,15,disdukcapil@jambiprov.go.id,\n"  # good, a new seat
        + "\n"  # blank: skipped, still counted as a line
        + "regent,15.99,bukan-alamat,\n"  # 6: unknown region and bad address
        + "governor,15,lagi@jambiprov.go.id,\n"  # 7: the governor again
    )

    assert errors_of(text) == [
        (3, "wrong_head"),
        (6, "unknown_region"),
        (6, "invalid_email"),
        (7, "duplicate"),
    ]
    assert len(refused(tmp_path, text)) == 4
    assert not Office.objects.filter(kind=OfficeKind.PROVINCIAL_DUKCAPIL_HEAD).exists()
    assert office("Gubernur Jambi").email == "gubernur.jambi@pemda.example.go.id"


def test_one_bad_row_among_good_ones_writes_nothing(tmp_path):
    before = snapshot()
    text = GOOD + "regent,15.09,b@x.go.id,\n"  # Tebo again, on the last line

    with pytest.raises(CommandError, match="File refused: 1 errors, nothing written"):
        run(tmp_path, text)

    assert snapshot() == before


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(CommandError, match="File not found: .*nope.csv"):
        call_command("import_office_contacts", str(tmp_path / "nope.csv"))
