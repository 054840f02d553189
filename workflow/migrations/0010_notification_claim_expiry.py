from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("workflow", "0009_english_names"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="notification",
            name="notification_sending",
        ),
        migrations.AddField(
            model_name="notification",
            name="claim_expires_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddIndex(
            model_name="notification",
            index=models.Index(
                condition=models.Q(("state", "sending")),
                fields=["claim_expires_at"],
                name="notification_claim_expiry",
            ),
        ),
    ]
