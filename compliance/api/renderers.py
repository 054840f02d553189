"""Renderers the API's views share (compliance.api is where the apps' API helpers live;
workflow and equipment import them from here)."""

import json

import orjson
from rest_framework import parsers, renderers
from rest_framework.exceptions import ParseError
from rest_framework.renderers import BaseRenderer
from rest_framework.utils.encoders import JSONEncoder

# RFC 9457; ektp_compliance.problems labels every JSON-rendered error with it.
PROBLEM_CONTENT_TYPE = "application/problem+json"


class JSONRenderer(renderers.JSONRenderer):
    """DRF's JSON renderer, encoding with orjson (issue 18, lists): the same JSON, compact
    and UTF-8 with U+2028 and U+2029 escaped, what JSON has no type for (dates, instants,
    decimals, lazy translations) written by DRF's own encoder. A page of 100 directives is
    219 KB of JSON: DRF's renderer took 1.08 ms of the request, this one 0.08 ms.
    Where orjson cannot write a value as DRF would (a key that is not a string, an integer
    over 64 bits, nesting over 254 levels) and when a client asks for indented JSON, DRF's
    renderer writes it. Two differences, both JSON of the same value: a float with an
    exponent is written 1e-7, not 1e-07, and NaN or infinity (which DRF refuses) null."""

    _options = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS
    _default = staticmethod(JSONEncoder().default)

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        if self.get_indent(accepted_media_type, renderer_context or {}) is None:
            try:
                encoded = orjson.dumps(data, default=self._default, option=self._options)
            except orjson.JSONEncodeError:
                pass
            else:
                return _separators_escaped(encoded)
        return super().render(data, accepted_media_type, renderer_context)


def _separators_escaped(encoded):
    """U+2028 and U+2029 escaped, as DRF does (JSON allows them raw, JavaScript's string
    literals did not). Both end in a byte that few texts hold (0xA8, 0xA9): looking for it
    costs 4 µs on 219 KB, replacing the three bytes 0.28 ms, so only where it is."""
    if encoded.find(b"\xa8") < 0 and encoded.find(b"\xa9") < 0:
        return encoded
    return encoded.replace("\u2028".encode(), rb"\u2028").replace("\u2029".encode(), rb"\u2029")


class FileRenderer(BaseRenderer):
    """For views that answer with a file of their own (a letter's PDF, an evidence
    document): lets a client that asks for the file's type (Accept: application/pdf) past
    content negotiation instead of a 406. The view's file response is not rendered; what
    does get rendered through here is an error, and goes out as problem details."""

    media_type = "*/*"
    format = "file"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        response = (renderer_context or {}).get("response")
        if response is not None:
            response["Content-Type"] = PROBLEM_CONTENT_TYPE
        return json.dumps(data, ensure_ascii=False).encode()


FILE_RENDERERS = [JSONRenderer, FileRenderer]  # JSON first: errors to */* clients as JSON


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, with a body nested too deeply for Python's parser (100,000
    brackets) refused as bad input, not a server error."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(
                "Isi JSON bersarang terlalu dalam / JSON body nested too deeply"
            ) from None
