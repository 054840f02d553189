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
only PostgreSQL has.
"""

from django.db import connection

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


class Staging:
    """The temporary table of one import, on `cursor`; use as a context manager (it
    drops the table on the way out)."""

    def __init__(self, cursor):
        self.cursor = cursor
        self.postgresql = connection.vendor == "postgresql"
        self._copy = None  # (its context manager, the COPY) while one is open

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
        """Keep the checked rows (tuples in the table's column order, any iterable). On
        PostgreSQL they stream into one COPY until flush(), so that the server takes them
        in while the next rows are checked."""
        if not self.postgresql:
            self.cursor.executemany(INSERT, rows)
            return
        if self._copy is None:
            manager = self.cursor.copy(COPY)
            self._copy = (manager, manager.__enter__())
            self._copy[1].set_types(COPY_TYPES)
        write_row = self._copy[1].write_row
        for row in rows:
            write_row(row)

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
        self.cursor.execute(WRITE)
        return self.cursor.rowcount
