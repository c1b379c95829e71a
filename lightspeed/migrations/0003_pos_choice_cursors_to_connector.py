"""The point-of-sale choice moves here (a channel's own migration fills it from its old fields); job cursors move to connector.SyncCursor,
named "lightspeed.<what>"."""

import django.db.models.deletion
import django.db.models.manager
from django.db import migrations, models


def cursors_to_connector(apps, schema_editor):
    old, new = apps.get_model("lightspeed", "SyncCursor"), apps.get_model("connector", "SyncCursor")
    new.objects.bulk_create([new(tenant_id=c.tenant_id, name=f"lightspeed.{c.name}", value=c.value)
                             for c in old.objects.all()], ignore_conflicts=True)


def cursors_back(apps, schema_editor):
    old, new = apps.get_model("lightspeed", "SyncCursor"), apps.get_model("connector", "SyncCursor")
    old.objects.bulk_create([old(tenant_id=c.tenant_id, name=c.name.removeprefix("lightspeed."), value=c.value)
                             for c in new.objects.filter(name__startswith="lightspeed.")], ignore_conflicts=True)


class Migration(migrations.Migration):

    dependencies = [
        ('lightspeed', '0002_connection_oauth_state_attribute_sets'),
        ('tenants', '0001_initial'),
        ('connector', '0003_synccursor'),
    ]

    operations = [
        migrations.CreateModel(
            name='PosChoice',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('channel', models.CharField(blank=True, default='', max_length=40)),
                ('shop_ls_id', models.BigIntegerField(blank=True, null=True)),
                ('register_ls_id', models.BigIntegerField(blank=True, null=True)),
                ('employee_ls_id', models.BigIntegerField(blank=True, null=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('tenant', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='tenants.tenant')),
            ],
            managers=[
                ('objects', django.db.models.manager.Manager()),
                ('unscoped', django.db.models.manager.Manager()),
            ],
        ),
        migrations.RunPython(cursors_to_connector, cursors_back),
        migrations.DeleteModel(
            name='SyncCursor',
        ),
        migrations.AddConstraint(
            model_name='poschoice',
            constraint=models.UniqueConstraint(fields=('tenant', 'channel'), name='ls_pos_choice_unique'),
        ),
    ]
