# ruff: noqa: S608 - the SQL is built from constants only; values travel as parameters
"""Where the recording import keeps the rows it has checked until it writes them: a
temporary table (line, district_id, date, obliged, recorded, printed), the same on every
database. Finding the duplicates (the same district and date on two lines) and the write
are one SQL statement each, the same on every database.

The one vendor branch, moving rows only: on PostgreSQL the checked rows go in with COPY,
its bulk path (a year of reports is 2.66 million rows, and the import must run at half
the speed of a COPY of the same rows at least: docs/benchmarks.md); elsewhere (SQLite)
with executemany(), which is SQLite's. Both receive the same rows, and CI runs both (the
suite on PostgreSQL and on SQLite). Likewise the sort memory for the write, a setting
only PostgreSQL has, and the write's bulk path: when no report already stands in the
file's span of dates, PostgreSQL takes the rows sorted out of the staging table and back
into compliance_recordingreport with COPY (which writes a page of rows at a time, where
INSERT ... SELECT ... ON CONFLICT writes row by row; docs/benchmarks.md); a repeated
(district, date) stops that COPY at the unique index, and the one WRITE below, which
every database runs otherwise, writes instead and tells it.
"""

import tempfile

from django.db import IntegrityError, connection, transaction

from .recording_import_checks import Columns

TABLE = "recording_rows"
COPY = f"COPY {TABLE} FROM STDIN"
COPY_TYPES = ("int4", "int4", "text", "int4", "int4", "int4")  # the date as YYYY-MM-DD
INSERT = f"INSERT INTO {TABLE} VALUES (%s, %s, %s, %s, %s, %s)"
# Each line that repeats an earlier line's (district, date), with that first line; the
# first `limit` by line, each with the count of them all.
DUPLICATES = f"""
SELECT line, first_line, count(*) OVER () FROM (
    SELECT line, min(line) OVER (PARTITION BY district_id, date) AS first_line FROM {TABLE}
) AS x
WHERE line <> first_line
ORDER BY line
LIMIT %s
"""
# The first row of each (district, date), in the unique index's order so that the index
# fills page after page; the window's sort is the ORDER BY's too (PostgreSQL sorts once).
# Writing fewer rows than were kept means that the file repeats a (district, date).
WRITE = f"""
INSERT INTO compliance_recordingreport (district_id, date, obliged, recorded, printed)
SELECT district_id, date, obliged, recorded, printed FROM (
    SELECT district_id, date, obliged, recorded, printed,
           row_number() OVER (PARTITION BY district_id, date ORDER BY line) AS nth
    FROM {TABLE}
) AS x
WHERE nth = 1
ORDER BY district_id, date
ON CONFLICT (district_id, date) DO UPDATE
SET obliged = excluded.obliged, recorded = excluded.recorded, printed = excluded.printed
"""
# For the sorts above, for their transaction only (the server default is 4 MB).
SORT_MEMORY = "SET LOCAL work_mem = '64MB'"
# Whether a report already stands in a span of dates: a probe of the unique (district,
# date) index per district (7,285), whatever the number of reports.
STANDING = """
SELECT 1 FROM compliance_district d WHERE EXISTS (
    SELECT 1 FROM compliance_recordingreport r
    WHERE r.district_id = d.id AND r.date BETWEEN %s AND %s
) LIMIT 1
"""
# PostgreSQL's bulk path for the write when nothing stands in the span: the kept rows in
# the unique index's order, out (binary: no text to parse on the way back) and in again.
COPY_SORTED_OUT = f"""
COPY (SELECT district_id::bigint, date, obliged, recorded, printed FROM {TABLE}
      ORDER BY district_id, date) TO STDOUT (FORMAT binary)
"""
COPY_IN = (
    "COPY compliance_recordingreport (district_id, date, obliged, recorded, printed) "
    "FROM STDIN (FORMAT binary)"
)
SPOOL_BYTES = 4 * 1024 * 1024  # the sorted rows held in memory; beyond, a temporary file


class Staging:
    """The temporary table of one import, on `cursor`; use as a context manager (it
    drops the table on the way out)."""

    def __init__(self, cursor):
        self.cursor = cursor
        self.postgresql = connection.vendor == "postgresql"
        self._copy = None  # (its context manager, the COPY) while one is open
        self.span = None  # (first date, last date) of the rows kept, as YYYY-MM-DD

    def __enter__(self):
        self._drop()
        self.cursor.execute(
            f"CREATE TEMP TABLE {TABLE} (line integer, district_id integer, date date, "
            "obliged integer, recorded integer, printed integer)"
        )
        return self

    def __exit__(self, *exc_info):
        self.flush(*exc_info)
        self._drop()

    def _drop(self):
        self.cursor.execute(f"DROP TABLE IF EXISTS {TABLE}")

    def add(self, rows):
        """Keep the checked rows (tuples in the table's column order, any iterable, or a
        block's Columns). On PostgreSQL they stream into one COPY until flush(), so that
        the server takes them in while the next rows are checked: a row at a time with
        psycopg's C dumpers, which costs less than building COPY's text in Python (about
        340 against 395 ns a row, docs/benchmarks.md)."""
        if not self.postgresql:
            self.cursor.executemany(INSERT, rows)
            return
        if not isinstance(rows, Columns):
            rows = list(rows)
        self._widen_span(rows)  # for write()'s bulk path, PostgreSQL's only
        if self._copy is None:
            manager = self.cursor.copy(COPY)
            self._copy = (manager, manager.__enter__())
            self._copy[1].set_types(COPY_TYPES)
        write_row = self._copy[1].write_row
        for row in rows:
            write_row(row)

    def _widen_span(self, rows):
        days = rows.whens if isinstance(rows, Columns) else [row[2] for row in rows]
        if days:
            first, last = min(days), max(days)  # YYYY-MM-DD: as text, in date order
            if self.span:
                first, last = min(first, self.span[0]), max(last, self.span[1])
            self.span = (first, last)

    def flush(self, *exc_info):
        """Finish the rows added so far (before any other statement on the connection)."""
        if self._copy is not None:
            manager, self._copy = self._copy[0], None
            manager.__exit__(*(exc_info or (None, None, None)))

    def sort_memory(self):
        """Inside a transaction: the memory the sorts below need (PostgreSQL only)."""
        if self.postgresql:
            self.cursor.execute(SORT_MEMORY)

    def duplicates(self, limit):
        """(count, [(line, first_line), ...] the first `limit` by line)."""
        self.cursor.execute(DUPLICATES, [limit])
        found = self.cursor.fetchall()
        return (found[0][2] if found else 0), [(line, first) for line, first, _ in found]

    def write(self):
        """Upsert the rows into compliance_recordingreport (inside a transaction); the
        number written, fewer than were kept when the rows repeat a (district, date)."""
        if self.postgresql and self.span and not self._standing():
            written = self._copy_sorted()
            if written is not None:
                return written
        self.cursor.execute(WRITE)
        return self.cursor.rowcount

    def _standing(self):
        self.cursor.execute(STANDING, list(self.span))
        return self.cursor.fetchone() is not None

    def _copy_sorted(self):
        """The rows written by COPY (nothing stands in their span to replace), or None
        when a (district, date) stopped it: repeated in the file, or written meanwhile
        by another import; rolled back, for WRITE to write or tell."""
        from psycopg.errors import UniqueViolation  # PostgreSQL only

        with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) as spool:
            with self.cursor.copy(COPY_SORTED_OUT) as out:
                for block in out:
                    spool.write(block)
            spool.seek(0)
            try:
                with transaction.atomic(), self.cursor.copy(COPY_IN) as copy_in:
                    while block := spool.read(SPOOL_BYTES):
                        copy_in.write(block)
            except (UniqueViolation, IntegrityError):
                return None
        return self.cursor.rowcount
