"""Feed tokens are looked up by their SHA-256 and kept only encrypted (docs/security.md, "Feed tokens"):
every existing token is hashed and encrypted, then the plain-text column goes. Existing feed URLs keep working."""
import hashlib
import secrets

from django.db import migrations, models

import connector.crypto


def _digest(token):
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def hash_tokens(apps, schema_editor):
    settings = apps.get_model("miinto", "MiintoSettings")
    for row in settings.objects.all().only("pk", "feed_token"):
        token = row.feed_token or secrets.token_urlsafe(32)
        row.feed_token_hash, row.feed_token_secret = _digest(token), token  # the field encrypts on save
        row.save(update_fields=["feed_token_hash", "feed_token_secret"])


def restore_tokens(apps, schema_editor):
    settings = apps.get_model("miinto", "MiintoSettings")
    for row in settings.objects.all().only("pk", "feed_token_secret"):
        row.feed_token = row.feed_token_secret or secrets.token_urlsafe(32)
        row.save(update_fields=["feed_token"])


class Migration(migrations.Migration):

    dependencies = [
        ("miinto", "0003_pos_choice_to_lightspeed"),
    ]

    operations = [
        migrations.AddField(
            model_name="miintosettings",
            name="feed_token_hash",
            field=models.CharField(max_length=64, null=True, editable=False),
        ),
        migrations.AddField(
            model_name="miintosettings",
            name="feed_token_secret",
            field=connector.crypto.EncryptedTextField(blank=True, editable=False),
        ),
        migrations.AlterField(
            model_name="miintosettings",
            name="feed_token",
            field=models.CharField(max_length=64, null=True),
        ),
        migrations.RunPython(hash_tokens, restore_tokens),
        migrations.RemoveField(
            model_name="miintosettings",
            name="feed_token",
        ),
        migrations.AlterField(
            model_name="miintosettings",
            name="feed_token_hash",
            field=models.CharField(max_length=64, unique=True, editable=False),
        ),
    ]
