"""Workflow follows compliance's transition log from a stored position (workflow.log_consumer).

The position starts at the last one the event feed has given at migration time, not at 0:
until now workflow answered each transition on commit (the `regency_transitioned`
listener), so everything committed before this migration has been answered (a lost flag or
suspension of the last two days was reconciled by the sweep). Starting at 0 would replay
the whole history: directives opened before they had origin keys would be opened again and
their regents written to a second time. An event committed but not yet sequenced at
migration time gets a later position and is applied once more, which is harmless: applying
a log row is idempotent (workflow.remediation.apply)."""

from django.db import migrations, models

CONSUMER = "remediation"  # workflow.log_consumer.NAME


def start_at_the_last_position(apps, schema_editor):
    Event = apps.get_model("compliance", "Event")
    LogConsumer = apps.get_model("workflow", "LogConsumer")
    last = Event.objects.aggregate(last=models.Max("position"))["last"] or 0
    LogConsumer.objects.update_or_create(name=CONSUMER, defaults={"position": last})


class Migration(migrations.Migration):
    dependencies = [
        ("workflow", "0013_policy_citations"),
        ("compliance", "0010_event_feed"),
    ]

    operations = [
        migrations.CreateModel(
            name="LogConsumer",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=40, unique=True)),
                ("position", models.BigIntegerField(default=0)),
                ("updated_at", models.DateTimeField(auto_now=True)),
            ],
            options={
                "verbose_name": "pembaca log transisi",
                "verbose_name_plural": "pembaca log transisi",
            },
        ),
        migrations.RunPython(start_at_the_last_position, migrations.RunPython.noop),
    ]
