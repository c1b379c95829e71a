"""The demo: the demo tenant is set up on the sandbox's merchant, and the sandbox's seeded orders use the
Lightspeed sandbox's items, so every one of them maps to mirror items."""
import io

from channels.smartetailing.demo import demo_seed
from channels.smartetailing.models import SmartEtailingLocation
from channels.smartetailing.sandbox import SmartEtailingSandbox, seeding
from connector.http import transport_overrides
from connector.models import OrderLedger
from connector.runs import run_job
from lightspeed.models import PosChoice

from .conftest import LS_ITEMS_SEED


def test_demo_seed_connects_the_sandbox_merchant_and_both_shops(ls_tenant):
    out = io.StringIO()
    config = demo_seed(tenant=ls_tenant, stdout=out)
    sandbox = SmartEtailingSandbox()
    assert (config.merchant_id, config.url_key, config.ftp_account) == (sandbox.merchant, sandbox.url_key,
                                                                        sandbox.ftp_user)
    assert config.enabled and config.export_orders and config.pos_pricing and config.regular_price_level_ls_id
    rows = SmartEtailingLocation.objects.for_tenant(ls_tenant).order_by("lightspeed_shop_ls_id")
    assert [r.neighborhood_descriptor for r in rows] == list(seeding.LOCATIONS)
    assert "2 locations connected" in out.getvalue()


def test_seeded_orders_match_the_lightspeed_sandbox_items_and_become_sales(ls_tenant, ls_sandbox, clock):
    demo_seed(tenant=ls_tenant, stdout=io.StringIO())
    PosChoice.objects.for_tenant(ls_tenant).update_or_create(
        tenant=ls_tenant, channel="", defaults={"shop_ls_id": 1, "register_ls_id": 1, "employee_ls_id": 1})
    catalog = seeding.catalog_from_lightspeed(*LS_ITEMS_SEED)
    sandbox = SmartEtailingSandbox(clock=clock, catalog=catalog, orders=3)
    transport_overrides["smartetailing"] = sandbox.transport()
    try:
        assert run_job(tenant=ls_tenant, job="smartetailing.orders_import", clock=clock).status == "succeeded"
    finally:
        transport_overrides.pop("smartetailing", None)
    rows = OrderLedger.objects.for_tenant(ls_tenant).filter(channel="smartetailing")
    assert rows.count() == 3 and all(row.state == "accepted" and row.sale_id for row in rows), [
        r.last_error for r in rows]
    assert len([s for s in ls_sandbox.state.sales.values() if s.reference_number.startswith("SE-")]) == 3
