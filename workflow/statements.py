"""Set-based INSERT ... SELECT on PostgreSQL, for the writes that touch hundreds or
thousands of rows at once (the national fan-out, the escalation sweep): no model instance
per row. The columns a statement does not set itself get their model defaults, exactly as
the ORM would write them, so a field added later with a default needs no change here."""

import re

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


def named(query, prefix):
    """A queryset's SQL with its values bound by name (`prefix`0, `prefix`1, ...), to be
    embedded in a statement that binds by name. Returns (sql, params)."""
    sql, values = query.query.sql_with_params()
    params = {}

    def name(_match):
        key = f"{prefix}{len(params)}"
        params[key] = values[len(params)]
        return f"%({key})s"

    return re.sub(r"(?<!%)%s", name, sql), params
