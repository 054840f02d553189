"""Page numbers as the schema states them, and keyset (cursor) pages that cost the same
at any depth: the pagination of every API list (workflow and equipment use them too)."""

import base64
import json
from functools import cached_property, partial

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param


class Pages(PageNumberPagination):
    """DRF's page numbers, as the schema states them: an integer from 1. DRF would also
    take ?page= (as 1) and ?page=last; here both are an invalid page (404, as a page
    past the last one)."""

    last_page_strings = ()

    def get_page_number(self, request, paginator):
        number = request.query_params.get(self.page_query_param)
        return 1 if number is None else number

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"]["minimum"] = 1
                parameter["description"] = (
                    "Nomor halaman, dari 1; di luar daftar: 404 / page number, from 1; "
                    "a page past the last one: 404"
                )
        return parameters


class DeferredRows(Paginator):
    """Page N by OFFSET over the primary keys only, then its rows by primary key: the
    database skips the first N-1 pages in an index of the list's ordering (the assignments'
    (due_at, id)) instead of reading and dropping whole rows with their joins, so page 500
    costs little more than page 1. The count is the list's (KeysetPages.count_of)."""

    def __init__(self, *args, counted=None, ids_from=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._counted = counted
        self._ids_from = ids_from

    @cached_property
    def count(self):
        if self._counted is None:
            return Paginator.count.func(self)
        return self._counted(self.object_list)

    def page(self, number):
        number, bottom, top = _bounds(self, number)
        if self._ids_from is None:
            ids = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        else:
            ids = self._ids_from(self.object_list, bottom, top - bottom)
        found = {_pk(row): row for row in self.object_list.filter(pk__in=ids)} if ids else {}
        return self._get_page([found[pk] for pk in ids if pk in found], number, self)


class ReadRows(Paginator):
    """Django's pages, each page's rows read by `read(bottom, top)` (a compiled query,
    compliance.compiled) instead of a slice of the list; the count is the list's."""

    def __init__(self, *args, read, **kwargs):
        super().__init__(*args, **kwargs)
        self._read = read

    def page(self, number):
        number, bottom, top = _bounds(self, number)
        return self._get_page(self._read(bottom, top), number, self)


def _bounds(paginator, number):
    """(number, bottom, top) of page `number`, as Django's Paginator.page() finds them
    (an invalid or missing page raises its InvalidPage)."""
    number = paginator.validate_number(number)
    bottom = (number - 1) * paginator.per_page
    top = bottom + paginator.per_page
    if top + paginator.orphans >= paginator.count:
        top = paginator.count
    return number, bottom, top


def _pk(row):
    """A row's primary key: a model instance's, or a `values()` row's "pk"."""
    return row["pk"] if isinstance(row, dict) else row.pk


# --- keyset (cursor) pages ---------------------------------------------------------------

_COUNT_CHOICES = {"true": True, "1": True, "false": False, "0": False}


class _Position:
    """Where a keyset page starts: the ordering values of a row, and the direction (after
    it, or before it for a `previous` link)."""

    def __init__(self, values, reverse=False):
        self.values, self.reverse = values, reverse


class KeysetPages(Pages):
    """Pages that cost the same at row 50,000 as at row 1: `?cursor=` continues after
    (or, for `previous`, before) the row it names, by the list's own stable ordering
    (which ends with the id), with `WHERE (key) > (last key) ORDER BY key LIMIT n`
    instead of OFFSET. `next` and `previous` carry the cursor; `?limit=` sets the size
    (default 100, at most 1000).

    Compatibility: `?page=N` still answers DRF's page N (OFFSET, `count` and page links),
    for the clients that number pages. A request with neither answers the first page in
    the same shape as before, `count` included (clients and dashboards read it), with a
    cursor `next`. A cursor page has no `count` unless asked for (`?count=true`), and
    `?count=false` drops it from the first page. A cursor that is not one of this list's,
    or a cursor with a page number, is 404, as a page past the last one (a schema cannot
    say that two parameters exclude each other, and what it allows is never 400)."""

    django_paginator_class = DeferredRows
    page_size_query_param = "limit"
    max_page_size = 1000
    cursor_query_param = "cursor"
    count_query_param = "count"

    # --- the request ---------------------------------------------------------------

    def paginate_queryset(self, queryset, request, view=None):
        params = request.query_params
        self.request = request
        self.keyset = self.page_query_param not in params
        if not self.keyset:
            if self.cursor_query_param in params:  # which one? neither names a page
                raise NotFound(CURSOR_AND_PAGE)
            self._count_wanted(params, default=True)  # checked; a numbered page counts
            self.page_size = self._limit(params)
            self.django_paginator_class = partial(
                DeferredRows, counted=self.count_of, ids_from=self._ids_from
            )
            return super().paginate_queryset(queryset, request, view)
        self.page_size = self._limit(params)
        ordering = self.ordering_of(queryset)
        self.ordering = ordering
        cursor = params.get(self.cursor_query_param)
        position = None if cursor is None else self.decode(cursor, queryset.model, ordering)
        self.position = position
        wanted = self._count_wanted(params, default=position is None)
        self.count = self.count_of(queryset) if wanted else None
        return self._rows(queryset, ordering, position)

    def count_of(self, queryset):
        """The list's `count`: its `COUNT(*)` (workflow's lists keep theirs: workflow.kept)."""
        return queryset.count()

    def key_before(self, queryset, ordering, offset):
        """The ordering's values of the row at `offset` - 1, from which page `?page=N` is
        read as a cursor page would be; None to skip by OFFSET (workflow's lists keep the
        key: workflow.api.pages)."""
        return None

    def _ids_from(self, queryset, bottom, size):
        """The ids of `size` rows from `bottom`: after the row before it when its key is
        known, else by OFFSET over the ids."""
        ordering = self.ordering_of(queryset)
        before = self.key_before(queryset, ordering, bottom) if bottom else None
        if before is None:
            return list(queryset.values_list("pk", flat=True)[bottom : bottom + size])
        after = queryset.filter(self._after(ordering, before, False))
        return list(after.values_list("pk", flat=True)[:size])

    def _limit(self, params):
        raw = params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size or 100
        if not raw.isdigit() or not 1 <= int(raw) <= self.max_page_size:
            raise serializers.ValidationError(
                {
                    self.page_size_query_param: [
                        f"Bilangan bulat 1-{self.max_page_size} / an integer from 1 to "
                        f"{self.max_page_size}"
                    ]
                },
                code="invalid",
            )
        return int(raw)

    def _count_wanted(self, params, *, default):
        raw = params.get(self.count_query_param)
        if raw is None:
            return default
        if raw.lower() not in _COUNT_CHOICES:
            raise serializers.ValidationError(
                {self.count_query_param: ["true atau false / true or false"]}, code="invalid"
            )
        return _COUNT_CHOICES[raw.lower()]

    # --- the ordering ----------------------------------------------------------------

    def ordering_of(self, queryset):
        """[(field path, descending)], ending with the primary key (appended when the
        list's ordering does not end with it, in the direction of its last field)."""
        names = queryset.query.order_by or queryset.model._meta.ordering
        ordering = []
        for name in names:
            if not isinstance(name, str) or name.startswith("?"):
                raise ValueError(f"keyset pages need field orderings, not {name!r}")
            descending = name.startswith("-")
            path = name.lstrip("-")
            ordering.append(("pk" if path in ("id", "pk") else path, descending))
        if not ordering or ordering[-1][0] != "pk":
            ordering.append(("pk", ordering[-1][1] if ordering else False))
        return ordering

    @staticmethod
    def _field(model, path):
        field = None
        for part in path.split("__"):
            field = model._meta.pk if part == "pk" else model._meta.get_field(part)
            model = field.related_model
        return field

    @staticmethod
    def _value(row, path):
        if isinstance(row, dict):  # a values() row: the ordering's fields are its keys
            return row[path]
        value = row
        for part in path.split("__"):
            value = getattr(value, part)
        return value

    # --- the rows --------------------------------------------------------------------

    def _rows(self, queryset, ordering, position):
        reverse = bool(position and position.reverse)
        order_by = [f"{'-' if desc != reverse else ''}{path}" for path, desc in ordering]
        rows = queryset.order_by(*order_by)
        if position is not None:
            rows = rows.filter(self._after(ordering, position.values, reverse))
        rows = list(rows[: self.page_size + 1])
        more = len(rows) > self.page_size
        rows = rows[: self.page_size]
        if reverse:
            rows.reverse()
        # Forward: there is more after when a row beyond the page came; before, whenever
        # the page started at a cursor. Backward: the other way round.
        self.has_next = more if not reverse else True
        self.has_previous = (position is not None) if not reverse else more
        self.rows = rows
        return rows

    @staticmethod
    def _after(ordering, values, reverse):
        """Rows after `values` in `ordering` (before, when reverse): (a > x) or (a = x and
        b > y) or ..., with a >= x in front so that an index on the first key is entered
        at x rather than scanned from its start."""
        condition = Q(pk__in=[])
        equal = Q()
        for (path, desc), value in zip(ordering, values, strict=True):
            beyond = "lt" if desc != reverse else "gt"
            condition |= equal & Q(**{f"{path}__{beyond}": value})
            equal &= Q(**{path: value})
        path, desc = ordering[0]
        entry = Q(**{f"{path}__{'lte' if desc != reverse else 'gte'}": values[0]})
        return entry & condition

    # --- cursors ---------------------------------------------------------------------

    def encode(self, row, ordering, *, reverse=False):
        values = []
        for path, _ in ordering:
            value = self._value(row, path)
            values.append(value.isoformat() if hasattr(value, "isoformat") else value)
        payload = {"k": [path for path, _ in ordering], "v": values}
        if reverse:
            payload["r"] = 1
        raw = json.dumps(payload, separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    def decode(self, cursor, model, ordering):
        try:
            padded = cursor + "=" * (-len(cursor) % 4)
            payload = json.loads(base64.urlsafe_b64decode(padded.encode()))
            if payload["k"] != [path for path, _ in ordering]:
                raise ValueError("a cursor of another list")
            values = [
                self._field(model, path).to_python(value)
                for (path, _), value in zip(ordering, payload["v"], strict=True)
            ]
            if any(value is None for value in values):
                raise ValueError("no position")
            return _Position(values, reverse=payload.get("r") == 1)
        except (ValueError, TypeError, KeyError, AttributeError, DjangoValidationError):
            raise NotFound(INVALID_CURSOR) from None

    def _link(self, row, *, reverse):
        url = self.request.build_absolute_uri()
        url = remove_query_param(url, self.page_query_param)
        cursor = self.encode(row, self.ordering, reverse=reverse)
        return replace_query_param(url, self.cursor_query_param, cursor)

    def get_next_link(self):
        if not self.keyset:
            return super().get_next_link()
        if not (self.has_next and self.rows):
            return None
        return self._link(self.rows[-1], reverse=False)

    def get_previous_link(self):
        if not self.keyset:
            return super().get_previous_link()
        if not (self.has_previous and self.rows):
            return None
        return self._link(self.rows[0], reverse=True)

    # --- the answer ------------------------------------------------------------------

    def get_paginated_response(self, data):
        if not self.keyset:
            return super().get_paginated_response(data)
        body = {} if self.count is None else {"count": self.count}
        body |= {
            "next": self.get_next_link(),
            "previous": self.get_previous_link(),
            "results": data,
        }
        return Response(body)

    def get_paginated_response_schema(self, schema):
        answer = super().get_paginated_response_schema(schema)
        answer["required"] = ["next", "previous", "results"]
        answer["properties"]["count"]["description"] = (
            "Jumlah seluruh baris: pada ?page=, halaman pertama tanpa cursor, dan bila "
            "?count=true / all rows: with ?page=, on the first page without a cursor, and "
            "when ?count=true"
        )
        for link in ("next", "previous"):
            answer["properties"][link]["example"] = (
                f"http://api.example.org/accounts/?{self.cursor_query_param}=eyJrIjpbInBrIl0"
            )
        return answer

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["description"] = (
                    "Nomor halaman (OFFSET, untuk klien lama; cursor lebih cepat), dari 1; di "
                    "luar daftar: 404 / page number (OFFSET, kept for existing clients; the "
                    "cursor is the fast way), from 1; a page past the last one: 404"
                )
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"] |= {"minimum": 1, "maximum": self.max_page_size}
                parameter["description"] = (
                    f"Baris per halaman, 1-{self.max_page_size} (bawaan 100) / rows per page, "
                    f"1 to {self.max_page_size} (default 100)"
                )
        return [
            *parameters,
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "Posisi dari tautan next/previous (pagination keyset; tidak "
                "bersama page) / the position from a next or previous link (keyset pages, "
                "the same cost at any depth; not with page). Unknown: 404",
                "schema": {"type": "string"},
            },
            {
                "name": self.count_query_param,
                "required": False,
                "in": "query",
                "description": "Sertakan count (bawaan: halaman pertama; selalu dengan page) / "
                "include `count` (default: on the first page; always with page)",
                "schema": {"type": "boolean"},
            },
        ]


INVALID_CURSOR = "Cursor tidak dikenal / not a cursor of this list"
CURSOR_AND_PAGE = "cursor dan page tidak bersamaan / cursor and page are exclusive"
