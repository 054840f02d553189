"""The API's JSON is written by orjson (compliance.api.renderers.JSONRenderer) and says
what DRF's own renderer says: the same bytes for every kind of value a serializer hands
it, DRF's renderer where orjson cannot write a value as DRF would, and indented JSON
when a client asks for it."""

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from django.utils.translation import gettext_lazy
from rest_framework import renderers
from rest_framework.settings import api_settings
from rest_framework.utils.serializer_helpers import ReturnDict, ReturnList

from compliance.api.renderers import JSONRenderer
from tests.workflow import api_helpers as h

# Shared fixtures (pytest finds fixtures among a module's names).
clock, officer = h.clock, h.officer

WIB = dt.timezone(dt.timedelta(hours=7))


def drf(data, media_type=None):
    return renderers.JSONRenderer().render(data, media_type)


def ours(data, media_type=None):
    return JSONRenderer().render(data, media_type)


PAYLOADS = {
    "text in many scripts": {"judul": "Perekaman KTP-el", "ᬅᬓ᭄ᬱᬭ": "ꦗꦮ", "emoji": "📇"},
    "characters JSON escapes": {"q": 'say "hi"\\ \n\t\r\b\f \x00 \x1f \x7f'},
    "line and paragraph separators": {"s": "a\u2028b\u2029c"},
    "bytes 0xA8 and 0xA9 of other characters": {"s": "© Kemendagri, è"},
    "HTML that stays as it is": {"h": "<script>&amp;</script>"},
    "numbers": {"i": -(2**63), "j": 2**64 - 1, "f": 87.5, "g": 0.1 + 0.2, "t": True, "n": None},
    "instants, dates and times": {
        "utc": dt.datetime(2026, 12, 7, 9, 30, tzinfo=dt.UTC),
        "wib": dt.datetime(2026, 12, 7, 16, 30, 0, 123456, tzinfo=WIB),
        "naive": dt.datetime(2026, 12, 7, 9, 30),  # noqa: DTZ001 (what DRF writes of one)
        "date": dt.date(2026, 12, 7),
        "time": dt.time(23, 59, 59),
        "duration": dt.timedelta(days=3, hours=2),
    },
    "decimals, UUIDs, bytes and lazy translations": {
        "d": Decimal("91.40"),
        "u": uuid.UUID("12345678-1234-5678-1234-567812345678"),
        "b": b"bytes",
        "lazy": gettext_lazy("Kabupaten"),
    },
    "integer keys, tuples, sets of one and serializer containers": {
        1: ("a", "b"),
        "set": {"x"},
        "rd": ReturnDict({"a": 1}, serializer=None),
        "rl": ReturnList([{"b": 2}], serializer=None),
    },
}


@pytest.mark.parametrize("payload", PAYLOADS.values(), ids=PAYLOADS.keys())
def test_the_json_is_drfs_byte_for_byte(payload):
    assert ours(payload) == drf(payload)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["/api/v1/directives/", "/api/v1/assignments/", "/api/v1/regencies/"]
)
def test_a_page_of_the_api_is_what_drf_would_have_written(clock, officer, url):
    h.issue(officer, {"regions": ["15.02", "16"]})
    h.draft(officer, {"all_regencies": True}, policy="hak-akses-siak")
    response = h.client_for(officer).get(url)
    assert response.status_code == 200
    assert response.content == drf(response.data)


def test_line_and_paragraph_separators_are_escaped_as_drf_escapes_them():
    assert ours({"s": "a\u2028b\u2029c"}) == b'{"s":"a\\u2028b\\u2029c"}'


def test_an_integer_orjson_cannot_write_is_written_by_drf():
    assert ours({"n": 2**70}) == drf({"n": 2**70}) == b'{"n":1180591620717411303424}'


def test_what_drf_refuses_to_write_is_written_null():
    assert ours({"f": float("nan"), "g": float("inf")}) == b'{"f":null,"g":null}'


def test_a_value_json_has_no_type_for_is_refused_as_drf_refuses_it():
    with pytest.raises(TypeError):
        drf({"o": object()})
    with pytest.raises(TypeError):
        ours({"o": object()})


def test_indented_json_when_the_client_asks_for_it():
    data = {"a": [1, 2]}
    assert ours(data, "application/json; indent=2") == drf(data, "application/json; indent=2")
    assert b"\n  " in ours(data, "application/json; indent=2")


def test_nothing_is_written_for_no_data():
    assert ours(None) == b""


def test_the_api_answers_with_this_renderer():
    assert api_settings.DEFAULT_RENDERER_CLASSES[0] is JSONRenderer
