"""Set-based INSERT ... SELECT on PostgreSQL, for the writes that touch hundreds or
thousands of rows at once (the national fan-out, the escalation sweep): no model instance
per row. The columns a statement does not set itself get their model defaults, exactly as
the ORM would write them, so a field added later with a default needs no change here."""

import orjson
from django.db import connection


def insert_sql(model, given, select, *, prefix="default_"):
    """(sql, params): INSERT INTO the model's table, the `given` columns taken from
    `select`, whose select list ends with `{defaults}`, the other columns from their
    defaults. `select` uses named placeholders (%(name)s); the defaults are bound as
    %(<prefix><column>)s."""
    columns, params = [], {}
    for f in model._meta.concrete_fields:
        if f.primary_key or f.column in given:
            continue
        columns.append(f.column)
        params[f"{prefix}{f.column}"] = f.get_db_prep_save(f.get_default(), connection)
    marks = "".join(f", %({prefix}{c})s" for c in columns)
    names = ", ".join([*given, *columns])
    # Names come from the model's metadata and the caller's constants; values are bound.
    sql = f"INSERT INTO {model._meta.db_table} ({names}) " + select.format(defaults=marks)  # noqa: S608
    return sql, params


# Moving computed rows in bulk. The rows are computed in Python, once, for every database;
# only how they travel depends on the vendor: on PostgreSQL one statement over arrays
# (no model instance per row: a national fan-out or a sweep round writes thousands),
# elsewhere (SQLite, the embedded default) the ORM's bulk operations.


def _columns(model, names):
    return [model._meta.get_field(name) for name in names]


def _rows_json(fields, rows):
    """(the rows as one JSON array of arrays, the select list reading them back typed).
    One parameter for the whole batch: binding it costs one escape, where an array per
    column costs one per value."""
    # orjson: ten times json's speed on a round's rows (docs/benchmarks.md), instants in
    # ISO 8601 to the microsecond as Python's isoformat() writes them.
    data = orjson.dumps(rows).decode()
    values = []
    for i, f in enumerate(fields):
        if f.get_internal_type() == "JSONField":
            values.append(f"r.value -> {i}")
        else:
            kind = (f.target_field if f.is_relation else f).cast_db_type(connection)
            values.append(f"(r.value ->> {i})::{kind}")
    return data, values


def insert_rows(model, names, rows, *, unless_taken=None):
    """Insert `rows` (tuples of values for the fields `names`, attnames for relations);
    the other columns get their model defaults. Returns the new ids, in the rows' order.

    `unless_taken`: a unique field among `names`; a row whose value is there already is
    not written (ON CONFLICT DO NOTHING: the same notice twice is no error), and only the
    rows written have an id returned."""
    rows = list(rows)
    if not rows:
        return []
    if connection.vendor != "postgresql":
        if unless_taken:
            rows = _untaken(model, names, rows, unless_taken)
        objs = [model(**dict(zip(names, row, strict=True))) for row in rows]
        return [obj.pk for obj in model.objects.bulk_create(objs, batch_size=1000)]
    fields = _columns(model, names)
    data, values = _rows_json(fields, rows)
    # Names come from the model's own metadata; every value is bound.
    select = (
        f"SELECT {', '.join(values)} {{defaults}} "  # noqa: S608
        "FROM jsonb_array_elements(%(rows)s::jsonb) WITH ORDINALITY AS r(value, n) "
        "ORDER BY r.n"
    )
    if unless_taken:
        select += f" ON CONFLICT ({model._meta.get_field(unless_taken).column}) DO NOTHING"
    sql, params = insert_sql(model, [f.column for f in fields], select + " RETURNING id")
    with connection.cursor() as cursor:
        cursor.execute(sql, {**params, "rows": data})
        return [row[0] for row in cursor.fetchall()]


def _untaken(model, names, rows, unique):
    """The rows whose `unique` value is not in the table yet. SQLite's writers hold the
    whole database from BEGIN (IMMEDIATE), so nobody writes one between the read and the
    insert; Django's bulk_create with ignore_conflicts would not return the new ids."""
    at = names.index(unique)
    taken = set(
        model.objects.filter(**{f"{unique}__in": [row[at] for row in rows]}).values_list(
            unique, flat=True
        )
    )
    fresh = {}  # a value twice in `rows`: its first row, as ON CONFLICT keeps it
    for row in rows:
        if row[at] not in taken:
            fresh.setdefault(row[at], row)
    return list(fresh.values())


def update_rows(model, names, rows):
    """Write `rows` (the id, then the values of the fields `names`) into their rows."""
    rows = list(rows)
    if not rows:
        return
    if connection.vendor != "postgresql":
        objs = [model(pk=row[0], **dict(zip(names, row[1:], strict=True))) for row in rows]
        model.objects.bulk_update(objs, names, batch_size=1000)
        return
    # bulk_update builds one CASE per column with a WHEN per row: slow to compile, and
    # quadratic on the server. One UPDATE ... FROM the rows writes the same values; the
    # ids also as an array, so that the planner fetches the rows by their key instead of
    # hashing the whole table.
    fields = _columns(model, ["id", *names])
    data, values = _rows_json(fields, rows)
    columns = [f.column for f in fields]
    sets = ", ".join(f"{c} = v.{c}" for c in columns[1:])
    # Names come from the model's own metadata; every value is bound.
    sql = (
        f"UPDATE {model._meta.db_table} AS t SET {sets} "  # noqa: S608
        f"FROM (SELECT {', '.join(values)} FROM jsonb_array_elements(%(rows)s::jsonb) AS r) "
        f"AS v({', '.join(columns)}) WHERE t.id = v.id AND t.id = ANY(%(ids)s)"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, {"rows": data, "ids": [row[0] for row in rows]})


def fetch_rows(queryset, fields):
    """The queryset's rows as plain tuples of `fields`. On PostgreSQL read with psycopg's
    own C loader for instants, whatever the connection's (Django's own is Python, about
    10 microseconds a value, a third of reading a sweep round's rows; compliance.instants
    gives Django's connections the C one too), without the ORM's row making. The session's
    time zone is UTC (Django sets it), so the values are the same. Elsewhere through the
    ORM, whose converters make the values (SQLite keeps text)."""
    rows = queryset.values_list(*fields)
    if connection.vendor != "postgresql":
        return list(rows)
    from psycopg.types.datetime import TimestamptzLoader

    sql, params = rows.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.cursor.adapters.register_loader("timestamptz", TimestamptzLoader)
        cursor.execute(sql, params)
        return cursor.fetchall()
