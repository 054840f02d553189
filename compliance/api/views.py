"""What every API view shares: the tags and path parameters of the schema, the problem
details an operation answers, and the parsing of its input. The views themselves are in
regencies, regency_actions, cases and access_orders (the other apps' views use these
helpers too).

Views are thin: parse the input, call one service (or selector), serialize the result.
Lookups go through the caller's jurisdiction: anything outside it is 404, as if it did
not exist. Errors become problem details in ektp_compliance.problems.
"""

from django.db.models import prefetch_related_objects
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)

from .renderers import PROBLEM_CONTENT_TYPE
from .serializers import ProblemSerializer

TAG = "kepatuhan / compliance"
CODE = OpenApiParameter(
    "code",
    str,
    OpenApiParameter.PATH,
    pattern=r"^\d{2}\.\d{2}$",
    description="Kode Kemendagri kabupaten/kota / Kemendagri regency code, e.g. 15.02",
    examples=[OpenApiExample("Merangin", value="15.02")],
)
REQUEST_ID = OpenApiParameter(
    "id", int, OpenApiParameter.PATH, description="id permintaan / request id"
)
ORDER_ID = OpenApiParameter(
    "id", int, OpenApiParameter.PATH, description="id perintah akses / access order id"
)
ACCESS_TAG = "akses SIAK / SIAK access"


PROBLEM_DESCRIPTIONS = {
    400: "Masukan tidak sesuai skema ini; `errors` menyebut tiap kolom / input that does not "
    "match this schema (a required field left out or blank, a wrong type or format, an "
    "empty filter); `errors` names each field",
    401: "Belum terautentikasi / not authenticated",
    403: "Jabatan Anda tidak berwenang / your office may not do this",
    404: "Tidak ditemukan atau di luar yurisdiksi / unknown or outside your jurisdiction",
    409: "Tidak dapat dari status sekarang atau kalah oleh perubahan bersamaan / "
    "not allowed from the current state, or lost to a concurrent change",
    413: "Isi permintaan atau berkasnya melebihi batas / the request body, or its file, is "
    "larger than its limit",
    415: "Jenis isi permintaan tidak didukung; lihat requestBody / a request body of a type "
    "this operation does not take (see its requestBody)",
    422: "Sesuai skema tetapi ditolak aturan: kode yang tidak menunjuk apa pun, tanggal yang "
    "sudah lewat, berkas yang bukan dokumen yang diterima; `errors` menyebut tiap kolom / "
    "well-formed, but refused by a rule the schema cannot state (a code or id that names "
    "nothing here, a date already past, a file that is not an accepted document); `errors` "
    "names each field",
    429: "Terlalu banyak permintaan; coba lagi setelah Retry-After detik / "
    "too many requests; try again after Retry-After seconds",
}
PAGE_NOT_FOUND = (
    "Halaman di luar daftar, atau cursor yang tidak dikenal / a page past the last one (or "
    "not a page number), or a cursor that is not one of this list's"
)


def problems(*codes, **descriptions):
    """The problem details an operation answers, besides 401 and 429 (every operation:
    authentication and throttling are the API's own). descriptions: `_404="..."` to say
    what a status means here."""
    described = {**PROBLEM_DESCRIPTIONS}
    described |= {int(key.lstrip("_")): text for key, text in descriptions.items()}
    return {
        (code, PROBLEM_CONTENT_TYPE): OpenApiResponse(
            ProblemSerializer, description=described[code]
        )
        for code in sorted({401, 429, *codes})
    }


def list_problems(*codes):
    """A paginated list's: invalid input (a filter), and 404 for a page past the last."""
    return problems(400, 404, *codes, _404=PAGE_NOT_FOUND)


def parse(serializer_class, data):
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def with_orders(case_file_or_none):
    """The access orders of a case file's requests, in one query (for `access_order`)."""
    if case_file_or_none is not None:
        prefetch_related_objects(case_file_or_none.requests, "order")
    return case_file_or_none


def with_input(serializer_class, **schema):
    """The schema of an inherited `post` that parses `serializer_class`: each subclass of
    a shared view states its own input (a reason optional here, required there)."""
    return extend_schema_view(post=extend_schema(request=serializer_class, **schema))
