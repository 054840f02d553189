from django.db import migrations

from workflow.default_policies import ensure_default_policies


def forwards(apps, schema_editor):
    ensure_default_policies(apps.get_model("workflow", "EscalationPolicy"), apps.get_model("workflow", "EscalationStep"))


class Migration(migrations.Migration):
    dependencies = [("workflow", "0001_escalation_policies")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
