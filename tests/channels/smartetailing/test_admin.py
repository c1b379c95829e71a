"""Support admin for SmartEtailing orders: list (this channel only), detail with events, "retry this order";
settings never show secrets."""
import pytest

from channels.smartetailing.models import SmartEtailingSettings
from connector.models import OrderLedger, SyncEvent, SyncRun


@pytest.fixture
def order(tenant):
    run = SyncRun.objects.create(tenant=tenant, job="smartetailing.orders_import", started_at="2026-01-01T00:00Z",
                                 heartbeat_at="2026-01-01T00:00Z")
    SyncEvent.objects.create(tenant=tenant, run=run, created_at="2026-01-01T00:00Z", object_type="smartetailing_order",
                             message="Line “Mystery” matches no Lightspeed item", object_id="011521-031915-526")
    return OrderLedger.objects.create(tenant=tenant, channel="smartetailing", external_id="011521-031915-526",
                                      state=OrderLedger.State.FAILED, last_error="needs attention",
                                      details={"waiting": "unbalanced"})


def test_order_list_and_detail(admin_client, order, tenant):
    OrderLedger.objects.create(tenant=tenant, channel="other", external_id="OTHER-CHANNEL-ORDER")
    listing = admin_client.get("/admin/smartetailing/smartetailingorder/").content.decode()
    assert "011521-031915-526" in listing and "unbalanced" in listing and "OTHER-CHANNEL-ORDER" not in listing
    detail = admin_client.get(f"/admin/smartetailing/smartetailingorder/{order.pk}/change/").content.decode()
    assert "matches no Lightspeed item" in detail


def test_retry_action_requeues_the_order(admin_client, order, queued_runs, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post("/admin/smartetailing/smartetailingorder/",
                                     {"action": "retry", "_selected_action": [order.pk]})
    assert response.status_code == 302
    assert queued_runs[0][0][1] == "smartetailing.orders_import"
    assert queued_runs[0][1]["params"] == {"order_id": "011521-031915-526"}
    order.refresh_from_db()
    assert order.state == OrderLedger.State.RECEIVED and order.last_error == "" and order.attempts == 1


def test_settings_admin_never_shows_secrets(admin_client, tenant):
    config = SmartEtailingSettings.objects.create(tenant=tenant, merchant_id="4401", url_key="url-key-secret",
                                                  ftp_password="ftp-secret-value")
    page = admin_client.get(f"/admin/smartetailing/smartetailingsettings/{config.pk}/change/").content.decode()
    assert "4401" in page and "url-key-secret" not in page and "ftp-secret-value" not in page
