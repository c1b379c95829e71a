"""The data migrations: the shop, register and employee an owner chose on MiintoSettings become the tenant's
Lightspeed point-of-sale choice, and both cursor tables move into connector.SyncCursor."""
from datetime import datetime, timezone

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("miinto", "0002_miinto_order_proxy"), ("lightspeed", "0002_connection_oauth_state_attribute_sets"),
          ("connector", "0002_log_indexes_event_job")]
AFTER = [("miinto", "0003_pos_choice_to_lightspeed")]
AT = datetime(2026, 11, 30, 12, tzinfo=timezone.utc)


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_the_owners_choice_and_the_cursors_survive_the_migration():
    old = migrate(BEFORE)
    tenant = old.get_model("tenants", "Tenant").objects.create(slug="kept", name="Kept")
    untouched = old.get_model("tenants", "Tenant").objects.create(slug="fresh", name="Fresh")
    settings = old.get_model("miinto", "MiintoSettings")
    settings.objects.create(tenant=tenant, feed_token="t1", feed_shop_ls_id=2, register_ls_id=7, employee_ls_id=9)
    settings.objects.create(tenant=untouched, feed_token="t2")
    old.get_model("miinto", "MiintoCursor").objects.create(tenant=tenant, name="sales", value=AT)
    old.get_model("lightspeed", "SyncCursor").objects.create(tenant=tenant, name="item", value=AT)
    try:
        new = migrate(AFTER)
        choice = new.get_model("lightspeed", "PosChoice").objects.get(tenant_id=tenant.pk)
        assert (choice.channel, choice.shop_ls_id, choice.register_ls_id, choice.employee_ls_id) == ("", 2, 7, 9)
        assert not new.get_model("lightspeed", "PosChoice").objects.filter(tenant_id=untouched.pk).exists()
        cursors = new.get_model("connector", "SyncCursor").objects.filter(tenant_id=tenant.pk)
        assert dict(cursors.values_list("name", "value")) == {"miinto.sales": AT, "lightspeed.item": AT}
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
