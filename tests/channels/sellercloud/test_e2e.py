"""End to end against both sandboxes: a sale completed in the Lightspeed sandbox reaches the sales mirror
(lightspeed.sales_sync) and becomes one Sellercloud order; its refund re-adds stock to the returns warehouse."""
from lightspeed.client import lightspeed_client

from channels.sellercloud.models import SellercloudSettings
from connector.runs import run_job

from .conftest import MAIN, RETURNS


def run(tenant, job, clock):
    result = run_job(tenant=tenant, job=job, clock=clock)
    assert result.status == "succeeded", f"{job}: {result.error}"
    return result


def test_a_lightspeed_sale_and_its_refund_through_both_sandboxes(sc_tenant, sc, linked, ls_sandbox, clock):
    SellercloudSettings.objects.for_tenant(sc_tenant).update(orders_since=None)  # sandbox time, not today's
    run(sc_tenant, "lightspeed.sales_sync", clock)
    body = {"employeeID": 1, "registerID": 1, "shopID": 1, "SaleLines": {"SaleLine": [
        {"itemID": linked[0].ls_id, "unitQuantity": 2, "unitPrice": "10.00"},
        {"itemID": linked[1].ls_id, "unitQuantity": 1, "unitPrice": "5.00"}]}}
    with lightspeed_client(sc_tenant, clock=clock) as client:
        sale = client.post("Sale", body)["Sale"]
    clock.advance(1)
    ls_sandbox.complete_sale(int(sale["saleID"]), [{"amount": sale["total"], "paymentTypeID": 1}])
    clock.advance(2)
    run(sc_tenant, "lightspeed.sales_sync", clock)
    run(sc_tenant, "sellercloud.orders_download", clock)
    [order] = [o for o in sc.orders.values() if o["OrderSourceOrderID"] == sale["saleID"]]
    assert [(i["ProductID"], i["Qty"]) for i in order["Items"]] == [("SKU-1", 2), ("SKU-2", 1)]
    assert order["OrderSource"] == 0 and order["ShippingStatus"] == 3 and order["PaymentStatus"] == 30
    assert sc.stock[("SKU-1", MAIN)] == 8
    clock.advance(2)
    refund = ls_sandbox.refund_sale(int(sale["saleID"]))
    clock.advance(2)
    run(sc_tenant, "lightspeed.sales_sync", clock)
    run(sc_tenant, "sellercloud.orders_download", clock)
    [credit] = [o for o in sc.orders.values() if o["OrderSourceOrderID"] == str(refund["saleID"])]
    assert sc.stock[("SKU-1", RETURNS)] == 2 and sc.stock[("SKU-2", RETURNS)] == 1
    assert any("Returned in Lightspeed" in n["Note"] for n in credit["Notes"])
    run(sc_tenant, "lightspeed.sales_sync", clock)
    run(sc_tenant, "sellercloud.orders_download", clock)
    assert len(sc.orders) == 2
