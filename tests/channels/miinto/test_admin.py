"""Support admin for Miinto orders: list, detail with events, "retry this order"; settings and shops."""
import pytest

from channels.miinto.models import MiintoSettings, MiintoShop
from connector.models import OrderLedger, SyncEvent, SyncRun


@pytest.fixture
def order(tenant):
    run = SyncRun.objects.create(tenant=tenant, job="miinto.orders_import", started_at="2026-01-01T00:00Z",
                                 heartbeat_at="2026-01-01T00:00Z")
    SyncEvent.objects.create(tenant=tenant, run=run, created_at="2026-01-01T00:00Z",
                             message="position 9 has quantity 0", object_type="miinto_order", object_id="700001")
    return OrderLedger.objects.create(
        tenant=tenant, channel="miinto", external_id="700001", state=OrderLedger.State.FAILED, last_error="boom",
        details={"shop_id": "1-m!i!s-045-1001", "miinto_order_id": 500001, "tracking_sent": "TT1"})


def test_order_list_and_detail_show_miinto_specifics(admin_client, order, tenant):
    OrderLedger.objects.create(tenant=tenant, channel="other", external_id="OTHER-CHANNEL-ORDER")
    listing = admin_client.get("/admin/miinto/miintoorder/").content.decode()
    assert "700001" in listing and "1-m!i!s-045-1001" in listing and "OTHER-CHANNEL-ORDER" not in listing
    detail = admin_client.get(f"/admin/miinto/miintoorder/{order.pk}/change/").content.decode()
    assert "position 9 has quantity 0" in detail and "500001" in detail and "TT1" in detail


def test_retry_action_requeues_the_order(admin_client, order, queued_runs, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post("/admin/miinto/miintoorder/", {"action": "retry", "_selected_action": [order.pk]})
    assert response.status_code == 302
    assert queued_runs[0][0][1] == "miinto.orders_import"
    order.refresh_from_db()
    assert order.state == OrderLedger.State.RECEIVED and order.last_error == ""


def test_settings_admin_never_shows_secrets(admin_client, tenant):
    settings = MiintoSettings.objects.create(tenant=tenant, identifier="demo", secret="super-secret-value")
    MiintoShop.objects.create(tenant=tenant, shop_id="1-m!i!s-045-1001", country="DK")
    page = admin_client.get(f"/admin/miinto/miintosettings/{settings.pk}/change/").content.decode()
    assert "demo" in page and "super-secret-value" not in page
    assert "1-m!i!s-045-1001" in admin_client.get("/admin/miinto/miintoshop/").content.decode()
