# ruff: noqa: S608 - the SQL is built from constants only; values travel as parameters
"""The PostgreSQL path of compliance.recording_import: COPY into a staging table, then
set-based checks and one INSERT ... ON CONFLICT. The checks mirror check_row()."""

import json
import re

from django.db import DataError, ProgrammingError, connection, transaction

from .recording_import import COLUMNS, ImportResult, max_listed_errors

TRIM = r"E' \t\r\"'"
COPY = (
    "COPY recording_staging (raw) FROM STDIN WITH (FORMAT csv, DELIMITER E'\\x01', QUOTE E'\\x02')"
)
END_OF_DATA = re.compile(rb"^\\\.$", re.MULTILINE)
TABLES = ("recording_staging", "recording_rows", "recording_codes", "recording_days")
TABLES += ("recording_errors",)

ROWS = f"""
CREATE TEMP TABLE recording_rows AS
SELECT line, cardinality(f) AS columns,
       btrim(f[1], {TRIM}) AS code, btrim(f[2], {TRIM}) AS day,
       btrim(f[3], {TRIM}) AS obliged, btrim(f[4], {TRIM}) AS recorded,
       btrim(f[5], {TRIM}) AS printed
FROM (SELECT line, string_to_array(raw, ',') AS f FROM recording_staging
      WHERE btrim(raw, E' \\t\\r') <> '') AS s
"""
CODES = f"""
CREATE TEMP TABLE recording_codes AS
SELECT c.code, d.id AS district_id
FROM (SELECT DISTINCT code FROM recording_rows WHERE columns = {COLUMNS}) AS c
LEFT JOIN compliance_district d ON d.code = c.code
"""
# A date is good when it is written YYYY-MM-DD and exists (year 1 and up): checked once
# per distinct text, each CASE guarding the casts of the next.
_DAY_VALUE = """
  CASE WHEN day ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' THEN
    CASE WHEN substr(day, 1, 4)::int >= 1 AND substr(day, 6, 2)::int BETWEEN 1 AND 12 THEN
      CASE WHEN substr(day, 9, 2)::int BETWEEN 1 AND extract(day FROM
          make_date(substr(day, 1, 4)::int, substr(day, 6, 2)::int, 1)
          + interval '1 month' - interval '1 day')::int
      THEN day::date END
    END
  END"""
DAYS = f"""
CREATE TEMP TABLE recording_days AS
SELECT day, {_DAY_VALUE} AS value
FROM (SELECT DISTINCT day FROM recording_rows WHERE columns = {COLUMNS}) AS d
"""


def _number(name):
    return f"CASE WHEN r.{name} ~ '^[0-9]{{1,9}}$' THEN r.{name}::int END AS {name}"


TYPED = f"""
SELECT r.line, r.columns, r.code, r.day, c.district_id, d.value AS date,
       r.obliged AS obliged_text, r.recorded AS recorded_text, r.printed AS printed_text,
       {_number("obliged")}, {_number("recorded")}, {_number("printed")}
FROM recording_rows r
LEFT JOIN recording_codes c ON c.code = r.code
LEFT JOIN recording_days d ON d.day = r.day
"""
FIVE = f"t.columns = {COLUMNS}"


def _number_error(ord_, name):
    code = (
        f"CASE WHEN {FIVE} AND t.{name} IS NULL THEN CASE WHEN t.{name}_text ~ '^-[0-9]{{1,9}}$' "
        "THEN 'negative' ELSE 'malformed_number' END END"
    )
    params = f"jsonb_build_object('field', '{name}', 'value', t.{name}_text)"
    return f"({ord_}, '{name}', {code}, {params})"


BPS = "t.code ~ '^[0-9]{6,7}$'"
EXAMPLE = "substr(t.code, 1, 2) || '.' || substr(t.code, 3, 2) || '.' || substr(t.code, 5, 2)"
ROW_ERRORS = f"""
INSERT INTO recording_errors (line, ord, field, code, params)
SELECT t.line, e.ord, e.field, e.code, e.params
FROM ({TYPED}) AS t
CROSS JOIN LATERAL (VALUES
  (0, NULL, CASE WHEN t.columns <> {COLUMNS} THEN 'column_count' END,
      jsonb_build_object('expected', {COLUMNS}, 'found', t.columns)),
  (1, 'district_code',
      CASE WHEN {FIVE} AND t.district_id IS NULL THEN
        CASE WHEN {BPS} THEN 'bps_code' ELSE 'unknown_district' END END,
      CASE WHEN {BPS} THEN jsonb_build_object('code', t.code, 'example', {EXAMPLE})
           ELSE jsonb_build_object('code', t.code) END),
  (2, 'date',
      CASE WHEN {FIVE} THEN
        CASE WHEN t.date IS NULL THEN 'malformed_date' WHEN t.date > %(today)s THEN 'future_date'
        END END,
      CASE WHEN t.date IS NULL THEN jsonb_build_object('value', t.day)
           ELSE jsonb_build_object('date', t.day) END),
  {_number_error(3, "obliged")},
  {_number_error(4, "recorded")},
  {_number_error(5, "printed")},
  (6, 'recorded', CASE WHEN t.recorded > t.obliged THEN 'recorded_above_obliged' END,
      jsonb_build_object('recorded', t.recorded, 'obliged', t.obliged)),
  (7, 'printed', CASE WHEN t.printed > t.recorded THEN 'printed_above_recorded' END,
      jsonb_build_object('printed', t.printed, 'recorded', t.recorded))
) AS e (ord, field, code, params)
WHERE (t.columns <> {COLUMNS} OR t.district_id IS NULL OR t.date IS NULL
       OR t.date > %(today)s OR t.obliged IS NULL OR t.recorded IS NULL OR t.printed IS NULL
       OR t.recorded > t.obliged OR t.printed > t.recorded)
  AND e.code IS NOT NULL
"""
DUPLICATES = f"""
INSERT INTO recording_errors (line, ord, field, code, params)
SELECT line, 8, NULL, 'duplicate', jsonb_build_object('first_line', first_line)
FROM (SELECT t.line, min(t.line) OVER (PARTITION BY t.district_id, t.date) AS first_line
      FROM ({TYPED}) AS t
      WHERE t.columns = {COLUMNS} AND t.district_id IS NOT NULL AND t.date IS NOT NULL) AS x
WHERE line <> first_line
"""
WRITE = f"""
INSERT INTO compliance_recordingreport (district_id, date, obliged, recorded, printed)
SELECT t.district_id, t.date, t.obliged, t.recorded, t.printed FROM ({TYPED}) AS t
ORDER BY t.district_id, t.date
ON CONFLICT (district_id, date) DO UPDATE
SET obliged = EXCLUDED.obliged, recorded = EXCLUDED.recorded, printed = EXCLUDED.printed
"""
# For the sort above, for this transaction only (the server default is 4 MB).
SORT_MEMORY = "SET LOCAL work_mem = '64MB'"
CARDINALITY_VIOLATION = "21000"  # ON CONFLICT DO UPDATE met the same key twice

# The fast path, for the files nearly all imports are: every line "clean" (digits apart,
# exactly ..,--,,, : a code with two dots, a date with two dashes, three numbers), read
# without trimming or regular expressions. It writes only good rows; when it writes fewer
# than the file's lines, or meets a (district, date) twice, it is rolled back and the
# careful path above finds and lists every error.
CLEAN = "translate(raw, '0123456789', '') = '..,--,,,'"
FAST_DAYS = f"""
CREATE TEMP TABLE recording_days AS
SELECT day, lines, {_DAY_VALUE} AS value
FROM (SELECT split_part(raw, ',', 2) AS day, count(*) AS lines FROM recording_staging
      WHERE raw IS NOT NULL GROUP BY 1) AS d
"""


def _fast_number(name):
    return f"CASE WHEN length(s.{name}) BETWEEN 1 AND 9 THEN s.{name}::int END AS {name}"


FAST_WRITE = f"""
INSERT INTO compliance_recordingreport (district_id, date, obliged, recorded, printed)
SELECT district_id, date, obliged, recorded, printed FROM (
  SELECT ds.id AS district_id, d.value AS date,
         {_fast_number("obliged")}, {_fast_number("recorded")}, {_fast_number("printed")}
  FROM (SELECT split_part(raw, ',', 1) AS code, split_part(raw, ',', 2) AS day,
               split_part(raw, ',', 3) AS obliged, split_part(raw, ',', 4) AS recorded,
               split_part(raw, ',', 5) AS printed
        FROM recording_staging WHERE raw IS NOT NULL AND {CLEAN}
        OFFSET 0) AS s  -- a fence: the casts outside see clean lines only
  JOIN compliance_district ds ON ds.code = s.code
  JOIN recording_days d ON d.day = s.day AND d.value <= %(today)s
) AS t
WHERE recorded <= obliged AND printed <= recorded
ORDER BY district_id, date  -- in index order: the unique index fills page after page
ON CONFLICT (district_id, date) DO UPDATE
SET obliged = EXCLUDED.obliged, recorded = EXCLUDED.recorded, printed = EXCLUDED.printed
"""


class _NotAllGood(Exception):
    pass


class PostgresImport:
    def __init__(self, *, today, on_progress=None, on_written=None):
        self.today = today
        self.on_progress = on_progress or (lambda lines: None)
        self.on_written = on_written or (lambda result: None)

    def run(self, blocks):
        with connection.cursor() as cursor:
            self.cursor = cursor
            self._drop()
            try:
                self._stage(blocks)
                return self._check_and_write()
            finally:
                self._drop()

    def _execute(self, sql, params=None):
        self.cursor.execute(sql, params)

    def _drop(self):
        self._execute(f"DROP TABLE IF EXISTS {', '.join(TABLES)}")

    def _stage(self, blocks):
        """Every line of the file (after the header) becomes a staging row numbered in
        file order; one COPY per block so that progress can be saved between them."""
        self._execute(
            "CREATE TEMP TABLE recording_staging "
            "(line integer GENERATED ALWAYS AS IDENTITY (START WITH 2), raw text)"
        )
        lines = 0
        for block in blocks:
            if b"\\." in block:
                # A line "\." ends COPY's data: padded, it is read as the bad line it is.
                block = END_OF_DATA.sub(rb"\\. ", block)
            with self.cursor.copy(COPY) as copy:
                copy.write(block)
            lines += block.count(b"\n")
            self.on_progress(lines)

    def _check_and_write(self):
        result = self._fast_write()
        if result is not None:
            return result
        self._execute("DROP TABLE recording_days")
        for sql in (ROWS, CODES, DAYS):
            self._execute(sql)
        self._execute("ANALYZE recording_rows, recording_codes, recording_days")
        self._execute(
            "CREATE TEMP TABLE recording_errors "
            "(line integer, ord integer, field text, code text, params jsonb)"
        )
        self._execute("SELECT count(*) FROM recording_rows")
        result = ImportResult(rows_total=self.cursor.fetchone()[0])
        self._execute(ROW_ERRORS, {"today": self.today})
        if self._error_count() == 0 and self._write(result):
            return result
        self._execute(DUPLICATES)
        result.error_count = self._error_count()
        result.errors = self._listed_errors()
        return result

    def _fast_write(self):
        """The result when every line is clean and good (all written), else None (nothing
        written)."""
        self._execute(FAST_DAYS)
        self._execute("SELECT coalesce(sum(lines), 0) FROM recording_days")
        lines = self.cursor.fetchone()[0]
        if lines == 0:
            return None
        result = ImportResult(rows_total=lines)
        try:
            with transaction.atomic():
                self._execute(SORT_MEMORY)
                self._execute(FAST_WRITE, {"today": self.today})
                if self.cursor.rowcount != lines:
                    raise _NotAllGood
                result.rows_written = lines
                self.on_written(result)
        except _NotAllGood:
            return None
        except (ProgrammingError, DataError) as e:
            if getattr(e.__cause__, "sqlstate", None) != CARDINALITY_VIOLATION:
                raise
            return None
        return result

    def _error_count(self):
        self._execute("SELECT count(*) FROM recording_errors")
        return self.cursor.fetchone()[0]

    def _listed_errors(self):
        self._execute(
            "SELECT line, field, code, params FROM recording_errors ORDER BY line, ord LIMIT %s",
            [max_listed_errors()],
        )
        return [
            {
                "line": line,
                "field": field,
                "code": code,
                "params": json.loads(params) if isinstance(params, str) else params,
            }
            for line, field, code, params in self.cursor.fetchall()
        ]

    def _write(self, result):
        """Write every row; False (and nothing written) when the file repeats a
        (district, date), which the caller then reports line by line."""
        try:
            with transaction.atomic():
                self._execute(SORT_MEMORY)
                self._execute(WRITE)
                result.rows_written = self.cursor.rowcount
                self.on_written(result)
        except (ProgrammingError, DataError) as e:
            if getattr(e.__cause__, "sqlstate", None) != CARDINALITY_VIOLATION:
                raise
            return False
        return True
