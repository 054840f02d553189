"""Renderers the API's views share (compliance.api is where the apps' API helpers live;
workflow and equipment import them from here)."""

import json

from rest_framework import parsers
from rest_framework.exceptions import ParseError
from rest_framework.renderers import BaseRenderer, JSONRenderer

# RFC 9457; ektp_compliance.problems labels every JSON-rendered error with it.
PROBLEM_CONTENT_TYPE = "application/problem+json"


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
