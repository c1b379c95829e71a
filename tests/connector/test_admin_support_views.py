"""Issue 15 §18: support admin — no "settingss" typo, a compact runs list, a Lightspeed connection view
(tokens never shown), and no hand-made ledger rows or deleted events."""
import pytest
from django.utils import timezone

from connector.models import OrderLedger, SyncEvent, SyncRun
from lightspeed.models import Connection

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("support", "support@example.com", "pw"))
    return client


def test_no_settingss_typo(staff_client):
    html = staff_client.get("/admin/").content.decode()
    assert "settingss" not in html.lower() and "Miinto settings" in html


def test_the_runs_list_is_compact(staff_client, tenant):
    now = timezone.now()
    SyncRun.unscoped.create(tenant=tenant, job="lightspeed.catalog_sync", status="succeeded", started_at=now,
                            heartbeat_at=now, finished_at=now,
                            counts={"drips": 26.5, "requests": 12, "items.read": 979, "items.written": 4})
    html = staff_client.get("/admin/connector/syncrun/").content.decode()
    assert "979 items read" in html and "{&#x27;drips&#x27;" not in html and "&quot;drips&quot;" not in html


def test_support_sees_the_lightspeed_connection_without_tokens(staff_client, tenant):
    Connection.unscoped.create(tenant=tenant, account_id="12345", account_name="Acme Retail", status="connected",
                               access_token="ACCESS-SECRET", refresh_token="REFRESH-SECRET")
    listing = staff_client.get("/admin/lightspeed/connection/").content.decode()
    assert "Acme Retail" in listing and "12345" in listing
    pk = Connection.unscoped.get().pk
    detail = staff_client.get(f"/admin/lightspeed/connection/{pk}/change/").content.decode()
    assert "ACCESS-SECRET" not in detail and "REFRESH-SECRET" not in detail and "Acme Retail" in detail


def test_ledger_rows_are_not_added_and_events_not_deleted_by_hand(staff_client, tenant):
    now = timezone.now()
    run = SyncRun.unscoped.create(tenant=tenant, job="lightspeed.catalog_sync", status="succeeded", started_at=now,
                                  heartbeat_at=now)
    event = SyncEvent.unscoped.create(tenant=tenant, run=run, job=run.job, created_at=now, level="info", message="x")
    assert staff_client.get("/admin/connector/orderledger/add/").status_code == 403
    assert "Add order ledger" not in staff_client.get("/admin/connector/orderledger/").content.decode()
    assert staff_client.get(f"/admin/connector/syncevent/{event.pk}/delete/").status_code == 403
    assert "delete_selected" not in staff_client.get("/admin/connector/syncevent/").content.decode()


def test_ledger_rows_are_never_deleted_by_hand_a_deleted_row_would_let_the_order_be_sold_again(staff_client, tenant):
    row = OrderLedger.unscoped.create(tenant=tenant, channel="smartetailing", external_id="1", reference="SE-1")
    for url in ("/admin/connector/orderledger/", "/admin/smartetailing/smartetailingorder/"):
        assert staff_client.get(f"{url}{row.pk}/delete/").status_code == 403
        assert "delete_selected" not in staff_client.get(url).content.decode()
