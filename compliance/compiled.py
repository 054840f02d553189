"""ORM queries compiled once and run many times with other values.

Building and compiling a query costs the ORM more CPU than the database spends running
it: the office holdings every signed-in request reads take 0.39 ms to build and compile
and 0.09 ms to run (docs/benchmarks.md, session 13). A query whose shape does not change
between calls, only its values, is therefore compiled once per database connection with
marks in the places of its values (values no row holds), each mark's places are found in
the compiled parameters, and each call runs the same SQL with its own values there. The
SQL is the ORM's own, no hand-written twin; a read gives the ORM's own instances (its
iterable over the compiled statement: select_related, annotations and prefetch_related
as the queryset asks).

What the query builder computes from anything else than its arguments is compiled in:
the builder must take every value that changes as an argument, and the key must name
everything else that changes the query's shape (the number of values, a condition left
out)."""

import copy
import datetime as dt
from collections.abc import Callable, Hashable, Sequence
from decimal import Decimal
from typing import Any, TypeVar

from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet

R = TypeVar("R")  # a row: a model's instance, or a tuple with values_list()
PK = -7_654_321  # a primary key no row has
_DAY = dt.date(1901, 2, 3)
_INSTANT = dt.datetime(1901, 2, 3, 4, 5, 6, 789012, tzinfo=dt.UTC)


def mark(value: Any, i: int) -> Any:
    """The i-th mark for a value of this type: no row holds it and no query would write
    it as a constant of its own."""
    kind = type(value)
    if kind is int:
        return PK - i
    if kind is str:
        return f"\x00mark {i}\x00"
    if kind is dt.datetime:
        return _INSTANT + dt.timedelta(seconds=i)
    if kind is dt.date:
        return _DAY + dt.timedelta(days=i)
    if kind is Decimal:
        return Decimal(PK - i)
    # None and booleans change a query's shape (IS NULL) or are common constants.
    raise TypeError(f"compiled: no mark for a value of type {kind.__name__}: {value!r}")


def _same(value: Any) -> Any:
    return value


def _adapter(param: Any, m: Any, adapters: Sequence[Callable[[Any], Any]]) -> Any:
    """The adapter that made `param` of the mark, or None if it is another value."""
    for adapt in adapters:
        adapted = adapt(m)
        if type(param) is type(adapted) and param == adapted:
            return adapt
    return None


class Compiled:
    """A query compiled for marks, with each mark's places in its parameters and how the
    ORM adapted the mark there (as it is, or as a date or instant of this database: SQLite
    stores them as text)."""

    def __init__(self, query: Any, marks: Sequence[Any], *, using: str = DEFAULT_DB_ALIAS):
        self.compiler = query.get_compiler(using=using)
        self.sql, params = self.compiler.as_sql()
        self.template = list(params)
        ops = self.compiler.connection.ops
        self.places: list[tuple[int, int, Callable[[Any], Any]]] = []
        for n, m in enumerate(marks):
            adapters: list[Callable[[Any], Any]] = [_same]
            if type(m) is dt.datetime:
                adapters.append(ops.adapt_datetimefield_value)
            elif type(m) is dt.date:
                adapters.append(ops.adapt_datefield_value)
            found = [
                (i, n, adapt)
                for i, p in enumerate(self.template)
                if (adapt := _adapter(p, m, adapters)) is not None
            ]
            if not found:
                raise RuntimeError(f"compiled: mark {n} is missing from the compiled query")
            self.places.extend(found)

    def params(self, values: Sequence[Any]) -> list[Any]:
        """The parameters with `values` in the places of their marks."""
        params = list(self.template)
        for i, n, adapt in self.places:
            params[i] = adapt(values[n])
        return params


class _Read(Compiled):
    def __init__(self, queryset: QuerySet, marks: Sequence[Any], using: str):
        self.queryset = queryset
        try:
            super().__init__(queryset.query, marks, using=using)
        except EmptyResultSet:  # no row whatever the values (`pk__in=[]`): no query
            self.empty = True
            return
        self.empty = False
        # The columns' converters, found once too (the ORM looks for them in every run).
        columns = [s[0] for s in self.compiler.select[0 : self.compiler.col_count]]
        self.converters = None
        if not self.compiler.has_composite_fields(columns):
            self.converters = self.compiler.get_converters(columns)

    def rows(self, values: Sequence[Any]) -> list[Any]:
        if self.empty:
            return []
        compiler = copy.copy(self.compiler)
        compiled = (self.sql, self.params(values))
        compiler.as_sql = lambda *args, **kwargs: compiled
        if self.converters is not None:
            converters = self.converters
            compiler.get_converters = lambda expressions: converters
        queryset = self.queryset._chain()  # type: ignore[attr-defined]
        queryset.query.get_compiler = lambda *args, **kwargs: compiler
        return list(queryset)


def padded(ids: Sequence[int]) -> tuple[int, ...]:
    """The ids, the last one repeated up to the next power of two: for `pk__in=`, whose
    number of values shapes the query, so that lists of any length share a few compiled
    queries instead of one each (a value twice in IN (...) finds the same rows)."""
    if not ids:
        return ()
    size = 1 << (len(ids) - 1).bit_length()
    return (*ids, *[ids[-1]] * (size - len(ids)))


def read(
    key: Hashable,
    build: "Callable[..., QuerySet[Any, R]]",
    *values: Any,
    using: str = DEFAULT_DB_ALIAS,
) -> list[R]:
    """`list(build(*values))`, compiled once per key and database connection (each thread
    has its own). `key` names the query and whatever else than `values` shapes it."""
    connection = connections[using]
    reads = connection.__dict__.setdefault("_compiled_reads", {})
    compiled = reads.get(key)
    if compiled is None:
        marks = [mark(v, i) for i, v in enumerate(values)]
        compiled = reads[key] = _Read(build(*marks), marks, using)
    return compiled.rows(values)
