from django.db import migrations

from workflow.default_policies import ensure_default_policies


def forwards(apps, schema_editor):
    # Creates only the policies missing: here `perbaikan-perangkat` (equipment repairs).
    ensure_default_policies(
        apps.get_model("workflow", "EscalationPolicy"), apps.get_model("workflow", "EscalationStep")
    )


class Migration(migrations.Migration):
    dependencies = [("workflow", "0006_letters")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
