"""The transition log is append-only in the database too (PostgreSQL), so that no
code path, admin action or hand-written SQL can rewrite history."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION compliance_transitionlog_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'compliance_transitionlog is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER compliance_transitionlog_append_only
    BEFORE UPDATE OR DELETE ON compliance_transitionlog
    FOR EACH ROW EXECUTE FUNCTION compliance_transitionlog_refuse_change();

CREATE TRIGGER compliance_transitionlog_no_truncate
    BEFORE TRUNCATE ON compliance_transitionlog
    FOR EACH STATEMENT EXECUTE FUNCTION compliance_transitionlog_refuse_change();
"""

DROP = """
DROP TRIGGER IF EXISTS compliance_transitionlog_no_truncate ON compliance_transitionlog;
DROP TRIGGER IF EXISTS compliance_transitionlog_append_only ON compliance_transitionlog;
DROP FUNCTION IF EXISTS compliance_transitionlog_refuse_change();
"""


def _on_postgres(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)  # the SQL holds a literal %

    return run


class Migration(migrations.Migration):
    dependencies = [("compliance", "0002_lifecycle_and_offices")]

    operations = [migrations.RunPython(_on_postgres(CREATE), _on_postgres(DROP))]
