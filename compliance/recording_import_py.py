"""The portable path of compliance.recording_import (SQLite, the embedded default): rows
stream through check_row() into a temporary table in batches; duplicates and the write are
SQL on that table."""

import json

from django.db import connection, transaction

from .models import District
from .recording_import import ORDER, ImportResult, check_row, max_listed_errors

BATCH = 5000
TABLES = ("recording_py_rows", "recording_py_errors")
DUPLICATES = """
INSERT INTO recording_py_errors (line, ord, field, code, params)
SELECT line, 8, NULL, 'duplicate', json_object('first_line', first_line) FROM (
    SELECT line, MIN(line) OVER (PARTITION BY district_id, date) AS first_line
    FROM recording_py_rows) AS x
WHERE line <> first_line
"""
WRITE = """
INSERT INTO compliance_recordingreport (district_id, date, obliged, recorded, printed)
SELECT district_id, date, obliged, recorded, printed FROM recording_py_rows WHERE 1
ON CONFLICT (district_id, date) DO UPDATE
SET obliged = excluded.obliged, recorded = excluded.recorded, printed = excluded.printed
"""


def _order(e):
    return ORDER.get(e["code"], ORDER.get(e["field"], 9))


class PythonImport:
    def __init__(self, *, today, on_progress=None, on_written=None):
        self.today = today
        self.on_progress = on_progress or (lambda lines: None)
        self.on_written = on_written or (lambda result: None)

    def run(self, blocks):
        with connection.cursor() as cursor:
            self.cursor = cursor
            self._drop()
            try:
                self._create()
                result = self._stage(blocks)
                return self._check_and_write(result)
            finally:
                self._drop()

    def _drop(self):
        for table in TABLES:
            self.cursor.execute(f"DROP TABLE IF EXISTS temp.{table}")

    def _create(self):
        self.cursor.execute(
            "CREATE TEMP TABLE recording_py_rows (line integer PRIMARY KEY, district_id "
            "integer, date text, obliged integer, recorded integer, printed integer)"
        )
        self.cursor.execute(
            "CREATE TEMP TABLE recording_py_errors "
            "(line integer, ord integer, field text, code text, params text)"
        )

    def _stage(self, blocks):
        districts = dict(District.objects.values_list("code", "pk"))
        result, line, rows, errors = ImportResult(), 1, [], []
        for block in blocks:
            for raw in block.split(b"\n")[:-1]:
                line += 1
                text = raw.decode("utf-8")
                if text.strip(" \t\r") == "":
                    continue
                result.rows_total += 1
                row_errors, row = check_row(line, text.split(","), districts, self.today)
                errors.extend(row_errors)
                if row and row[0] is not None and row[1] is not None:
                    rows.append((line, row[0], row[1].isoformat(), *row[2:]))
                if len(rows) >= BATCH or len(errors) >= BATCH:
                    self._flush(rows, errors)
            self._flush(rows, errors)
            self.on_progress(line - 1)
        return result

    def _flush(self, rows, errors):
        self.cursor.executemany(
            "INSERT INTO recording_py_rows VALUES (%s, %s, %s, %s, %s, %s)", rows
        )
        self.cursor.executemany(
            "INSERT INTO recording_py_errors VALUES (%s, %s, %s, %s, %s)",
            [
                (e["line"], _order(e), e["field"], e["code"], json.dumps(e["params"]))
                for e in errors
            ],
        )
        rows.clear()
        errors.clear()

    def _check_and_write(self, result):
        self.cursor.execute(DUPLICATES)
        self.cursor.execute("SELECT count(*) FROM recording_py_errors")
        result.error_count = self.cursor.fetchone()[0]
        if result.error_count:
            self.cursor.execute(
                "SELECT line, field, code, params FROM recording_py_errors "
                "ORDER BY line, ord LIMIT %s",
                [max_listed_errors()],
            )
            result.errors = [
                {"line": line, "field": field, "code": code, "params": json.loads(params)}
                for line, field, code, params in self.cursor.fetchall()
            ]
            return result
        with transaction.atomic():
            self.cursor.execute(WRITE)
            result.rows_written = self.cursor.rowcount
            self.on_written(result)
        return result
