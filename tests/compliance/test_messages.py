"""Messages as codes and parameters (compliance.i18n): each rendered in the reader's
language where it is read, both languages where everyone reads it (the API, the commands)."""

import datetime as dt
import re

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import translation

from compliance import i18n
from compliance.errors import Conflict, NotFound
from compliance.i18n import Message, catalogue, reason_fields, shown


def test_a_message_renders_in_each_language_with_its_parameters():
    message = Message("regency_not_found", code="15.02")
    assert message.render("id") == "Kabupaten/kota 15.02 tidak ditemukan"
    assert message.render("en") == "Regency 15.02 not found"
    assert message.bilingual() == "Kabupaten/kota 15.02 tidak ditemukan / Regency 15.02 not found"


def test_without_a_language_it_renders_in_the_active_one():
    message = Message("request_pending")
    with translation.override("en"):
        assert message.render() == "A request is already pending"
    with translation.override("id"):
        assert message.render() == "Sudah ada permintaan yang menunggu"


def test_an_unknown_code_fails_where_the_message_is_made():
    with pytest.raises(LookupError, match="no_such_code"):
        Message("no_such_code")


def test_a_missing_parameter_fails_where_the_message_is_made():
    with pytest.raises(KeyError):
        Message("regency_not_found")


def test_parameters_are_kept_as_json_stores_them():
    message = Message("date_in_future", date=dt.date(2026, 12, 7))
    assert message.params == {"date": "2026-12-07"}
    assert message.as_dict() == {"code": "date_in_future", "params": {"date": "2026-12-07"}}
    assert message.render("en") == "the date 2026-12-07 is in the future"


def test_a_code_is_defined_once():
    with pytest.raises(ImproperlyConfigured, match="request_pending"):
        catalogue({"request_pending": ("Something else", "Lain")})
    assert i18n.known("request_pending")


def test_every_registered_message_renders_in_both_languages():
    """Each app's catalogue is loaded with the apps; an entry whose texts do not agree on
    their placeholders, or with a stray %, fails here rather than at a refusal."""
    assert {"regency_not_found", "assignment_not_found", "device_not_found"} <= set(i18n._TEXTS)
    assert {"token_not_found", "subscription_not_found", "wrong_header"} <= set(i18n._TEXTS)

    class Anything(dict):
        def __missing__(self, key):
            return "x"

    def placeholders(text):
        return set(re.findall(r"%\((\w+)\)", text))

    for code, (english, indonesian) in i18n._TEXTS.items():
        assert english.strip() and indonesian.strip(), code
        english % Anything(), indonesian % Anything()  # noqa: B018  (raises on a bad %)
        # gettext (msgfmt) wants a translation to use the msgid's parameters, all of them
        assert placeholders(english) == placeholders(indonesian), code


def test_a_domain_error_keeps_the_bilingual_detail_and_adds_code_and_params():
    error = NotFound(Message("region_not_found", code="15.99"))
    assert error.detail == "Wilayah 15.99 tidak ditemukan / Region 15.99 not found"
    assert str(error) == error.detail
    assert (error.code, error.params) == ("region_not_found", {"code": "15.99"})


def test_an_error_raised_with_a_plain_string_has_no_code():
    error = Conflict("Sudah / Already")
    assert (error.detail, error.code, error.params, error.message) == (
        "Sudah / Already",
        None,
        {},
        None,
    )


def test_a_stored_reason_keeps_its_code_parameters_and_text():
    fields = reason_fields(Message("probation_passed", days=30))
    assert fields == {
        "reason": "Masa percobaan 30 hari berakhir tanpa pelanggaran baru / "
        "Probation of 30 days passed without a new violation",
        "reason_code": "probation_passed",
        "reason_params": {"days": 30},
    }
    assert reason_fields("Lihat lampiran", "cancel_reason") == {
        "cancel_reason": "Lihat lampiran",
        "cancel_reason_code": "",
        "cancel_reason_params": {},
    }


@pytest.mark.parametrize(
    ("language", "expected"),
    [("id", "Perangkat diperbaiki"), ("en", "device repaired")],
)
def test_a_stored_reason_is_shown_in_the_readers_language(language, expected):
    with translation.override(language):
        assert shown("whatever was stored", "device_repaired", {}, by=None) == expected


def test_a_row_from_before_codes_is_shown_by_its_half_and_a_persons_note_whole():
    with translation.override("en"):
        # written before issue 17: the system's bilingual text, no code
        assert shown("Kasus ditutup / case closed", "", {}, by=None) == "case closed"
        assert shown("Lihat / lampiran", "", {}, by=7) == "Lihat / lampiran"
        # a code this version no longer knows: the stored text
        assert shown("Lama / Old", "retired_code", {}, by=None) == "Old"
