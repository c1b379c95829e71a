"""The shop, register and employee an owner chose (stored on MiintoSettings until now) become the tenant's
default Lightspeed point-of-sale choice; the status sync's cursor moves to connector.SyncCursor."""

from django.db import migrations

POS_FIELDS = {"feed_shop_ls_id": "shop_ls_id", "register_ls_id": "register_ls_id", "employee_ls_id": "employee_ls_id"}


def to_lightspeed(apps, schema_editor):
    settings, choice = apps.get_model("miinto", "MiintoSettings"), apps.get_model("lightspeed", "PosChoice")
    for row in settings.objects.all():
        values = {new: getattr(row, old) for old, new in POS_FIELDS.items()}
        if any(values.values()):
            choice.objects.update_or_create(tenant_id=row.tenant_id, channel="", defaults=values)
    old, new = apps.get_model("miinto", "MiintoCursor"), apps.get_model("connector", "SyncCursor")
    new.objects.bulk_create([new(tenant_id=c.tenant_id, name=f"miinto.{c.name}", value=c.value)
                             for c in old.objects.all()], ignore_conflicts=True)


def to_miinto(apps, schema_editor):
    settings, choice = apps.get_model("miinto", "MiintoSettings"), apps.get_model("lightspeed", "PosChoice")
    for row in choice.objects.filter(channel=""):
        settings.objects.filter(tenant_id=row.tenant_id).update(
            **{old: getattr(row, new) for old, new in POS_FIELDS.items()})


class Migration(migrations.Migration):

    dependencies = [
        ('miinto', '0002_miinto_order_proxy'),
        ('lightspeed', '0003_pos_choice_cursors_to_connector'),
    ]

    operations = [
        migrations.RunPython(to_lightspeed, to_miinto),
        migrations.RemoveField(
            model_name='miintosettings',
            name='employee_ls_id',
        ),
        migrations.RemoveField(
            model_name='miintosettings',
            name='feed_shop_ls_id',
        ),
        migrations.RemoveField(
            model_name='miintosettings',
            name='register_ls_id',
        ),
        migrations.DeleteModel(
            name='MiintoCursor',
        ),
    ]
