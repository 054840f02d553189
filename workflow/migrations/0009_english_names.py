from django.db import migrations, models

from workflow.default_policies import fill_english_names


def forwards(apps, schema_editor):
    fill_english_names(
        apps.get_model("workflow", "EscalationPolicy"), apps.get_model("workflow", "EscalationStep")
    )


class Migration(migrations.Migration):
    dependencies = [("workflow", "0008_assignment_next_step_index")]

    operations = [
        migrations.AddField(
            model_name="escalationpolicy",
            name="name_en",
            field=models.CharField(
                blank=True, max_length=200, verbose_name="nama dalam bahasa Inggris"
            ),
        ),
        migrations.AddField(
            model_name="escalationstep",
            name="name_en",
            field=models.CharField(
                blank=True, max_length=200, verbose_name="nama dalam bahasa Inggris"
            ),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
