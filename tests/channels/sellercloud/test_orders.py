"""Order download end to end (sales mirror -> Sellercloud sandbox), and exactly once under a lost answer,
5xx, a timeout, a lost payment answer, a second run and two runs at once."""
from datetime import timedelta

import pytest
from django.utils import timezone

from channels.sellercloud.models import SellercloudProduct, SellercloudSettings, SellercloudShop
from connector.models import OrderLedger, SyncEvent
from connector.registry import register_job
from connector.runs import run_job

from .conftest import MAIN, RETURNS, make_customer, make_sale, payment_type
from tests.concurrency import runs_together

JOB = "sellercloud.orders_download"


def run(tenant, clock, job=JOB):
    return run_job(tenant=tenant, job=job, clock=clock)


def orders_for(sc, sale):
    return [o for o in sc.orders.values() if o["OrderSourceOrderID"] == str(sale.ls_id)]


def ledger(tenant, sale):
    return OrderLedger.objects.for_tenant(tenant).get(channel="sellercloud", external_id=str(sale.ls_id))


def test_a_completed_sale_becomes_one_local_store_order(sc_tenant, sc, linked, clock):
    jane = make_customer(sc_tenant)
    sale = make_sale(sc_tenant, lines=[(linked[0].ls_id, 2, "10.00"), (linked[1].ls_id, 1, "5.00")],
                     payments=[(payment_type(sc_tenant, "cash"), "25.00")], customer=jane)
    result = run(sc_tenant, clock)
    assert result.status == "succeeded", result.error
    [order] = orders_for(sc, sale)
    assert order["OrderSource"] == 0 and order["CompanyID"] == sc.company_id
    assert order["Customer"]["Email"] == "jane@example.com"
    assert [(i["ProductID"], i["Qty"]) for i in order["Items"]] == [("SKU-1", 2), ("SKU-2", 1)]
    assert [(p["PaymentMethod"], str(p["PaidAmount"])) for p in order["Payments"]] == [(4, "25.0")]
    assert order["PaymentStatus"] == 30 and order["ShippingStatus"] == 3
    assert (order["Carrier"], order["Service"], order["ShipFromWarehouseID"]) == ("Other", "Pickup", MAIN)
    assert sc.stock[("SKU-1", MAIN)] == 8  # deducted from the shop's warehouse only
    row = ledger(sc_tenant, sale)
    assert row.state == OrderLedger.State.ACCEPTED and row.details["order_id"] == order["ID"]
    writes = len([r for r in sc.request_log if r["method"] in ("POST", "PUT")])
    assert run(sc_tenant, clock).status == "succeeded"
    assert len([r for r in sc.request_log if r["method"] in ("POST", "PUT")]) == writes  # nothing more to send


def test_no_customer_is_lightspeed_order_and_no_payment_is_marked_paid(sc_tenant, sc, linked, clock):
    sale = make_sale(sc_tenant, lines=[(linked[0].ls_id, 1, "10.00")])
    run(sc_tenant, clock)
    [order] = orders_for(sc, sale)
    assert (order["Customer"]["FirstName"], order["Customer"]["LastName"]) == ("Lightspeed", "Order")
    assert order["PaymentStatus"] == 30 and any("marked paid" in n["Note"] for n in order["Notes"])


def test_company_address_switch(sc_tenant, sc, linked, clock):
    SellercloudSettings.objects.for_tenant(sc_tenant).update(use_company_address=True)
    sale = make_sale(sc_tenant, lines=[(linked[0].ls_id, 1, "10.00")], customer=make_customer(sc_tenant))
    run(sc_tenant, clock)
    [order] = orders_for(sc, sale)
    assert order["ShippingAddress"]["Address"] == "1 Main St" == order["BillingAddress"]["Address"]


def test_a_refund_re_adds_stock_into_the_returns_warehouse_once(sc_tenant, sc, linked, clock):
    refund = make_sale(sc_tenant, lines=[(linked[0].ls_id, -2, "10.00")],
                       payments=[(payment_type(sc_tenant, "cash"), "-20.00")])
    assert run(sc_tenant, clock).status == "succeeded"
    assert sc.stock[("SKU-1", RETURNS)] == 2 and sc.stock[("SKU-1", MAIN)] == 10
    [order] = orders_for(sc, refund)
    assert any("Returned in Lightspeed" in n["Note"] and "2 x SKU-1" in n["Note"] for n in order["Notes"])
    run(sc_tenant, clock)
    assert sc.stock[("SKU-1", RETURNS)] == 2


@pytest.mark.django_db(transaction=True)  # ledger writes persist as in production
def test_a_lost_answer_to_the_return_adjustment_does_not_add_twice(sc_tenant, sc, linked, clock):
    make_sale(sc_tenant, lines=[(linked[0].ls_id, -1, "10.00")])
    sc.inject_fault("drop_after_commit", path_contains="/AdjustPhysicalInventory")
    assert run(sc_tenant, clock).error_kind == "transient"
    assert run(sc_tenant, clock).status == "succeeded"
    assert sc.stock[("SKU-1", RETURNS)] == 1


def test_an_unmapped_item_goes_as_unknown_and_is_listed(sc_tenant, sc, linked, clock):
    SellercloudProduct.objects.for_tenant(sc_tenant).filter(sku="SKU-2").delete()
    sale = make_sale(sc_tenant, lines=[(linked[0].ls_id, 1, "10.00"), (linked[1].ls_id, 1, "5.00")])
    result = run(sc_tenant, clock)
    [order] = orders_for(sc, sale)
    assert [i["ProductID"] for i in order["Items"]] == ["SKU-1", "UNKNOWN"]
    warning = SyncEvent.objects.for_tenant(sc_tenant).get(run=result, level="warning")
    assert str(linked[1].ls_id) in warning.message and warning.object_id == str(sale.ls_id)


def test_unmapped_shops_open_sales_and_sales_before_the_cut_over_are_not_sent(sc_tenant, sc, linked, clock):
    other_shop = make_sale(sc_tenant, shop=2, lines=[(linked[0].ls_id, 1, "10.00")])
    SellercloudShop.objects.create(tenant=sc_tenant, shop_ls_id=3, warehouse_ids=[])
    open_sale = make_sale(sc_tenant, lines=[(linked[0].ls_id, 1, "10.00")], completed=False)
    old = make_sale(sc_tenant, lines=[(linked[0].ls_id, 1, "10.00")], when=timezone.now() - timedelta(days=3))
    run(sc_tenant, clock)
    assert not any(orders_for(sc, s) for s in (other_shop, open_sale, old))


@pytest.mark.django_db(transaction=True)  # ledger writes persist as in production
def test_a_rejected_order_is_failed_on_its_record_and_the_rest_go_on(sc_tenant, sc, linked, clock):
    bad = make_sale(sc_tenant, lines=[(linked[0].ls_id, 1, "10.00")])
    good = make_sale(sc_tenant, lines=[(linked[1].ls_id, 1, "5.00")])
    sc.products.pop("SKU-1")  # Sellercloud no longer knows the product: 400 on create
    result = run(sc_tenant, clock)
    assert result.status == "partial" and len(orders_for(sc, good)) == 1
    row = ledger(sc_tenant, bad)
    assert row.state == OrderLedger.State.FAILED and "SKU-1" in row.last_error
    event = SyncEvent.objects.for_tenant(sc_tenant).get(run=result, level="error")
    assert event.object_id == str(bad.ls_id) and "SKU-1" in event.message


@pytest.mark.django_db(transaction=True)  # ledger states persist between runs as in production
@pytest.mark.parametrize("fault", ["drop_after_commit", "500", "503", "timeout"])
def test_a_failed_create_never_makes_a_second_order(sc_tenant, sc, linked, clock, fault):
    sale = make_sale(sc_tenant, lines=[(linked[0].ls_id, 1, "10.00")],
                     payments=[(payment_type(sc_tenant, "cash"), "10.00")])
    sc.inject_fault(fault, method="POST", path_contains="/api/Orders")
    first = run(sc_tenant, clock)
    if fault == "drop_after_commit":  # the lookup right after finds the order the lost answer created
        assert first.status == "succeeded", first.error
    else:
        assert first.error_kind == "transient"
        assert ledger(sc_tenant, sale).state == OrderLedger.State.SALE_PENDING  # written before the create
        assert run(sc_tenant, clock).status == "succeeded"
    [order] = orders_for(sc, sale)
    assert len(order["Payments"]) == 1 and ledger(sc_tenant, sale).state == OrderLedger.State.ACCEPTED


@pytest.mark.django_db(transaction=True)
def test_a_lost_payment_answer_is_reconciled_not_paid_twice(sc_tenant, sc, linked, clock):
    sale = make_sale(sc_tenant, lines=[(linked[0].ls_id, 1, "10.00")],
                     payments=[(payment_type(sc_tenant, "cash"), "6.00"), (payment_type(sc_tenant, "gift card"), "4")])
    sc.inject_fault("drop_after_commit", path_contains="/ReceiveManualPayment")
    assert run(sc_tenant, clock).error_kind == "transient"
    assert run(sc_tenant, clock).status == "succeeded"
    [order] = orders_for(sc, sale)
    assert sorted(p["PaymentMethod"] for p in order["Payments"]) == [4, 5]


@pytest.mark.django_db(transaction=True)
def test_a_crash_after_the_create_resumes_from_the_ledger(sc_tenant, sc, linked, clock, monkeypatch):
    from channels.sellercloud import orders

    sale = make_sale(sc_tenant, lines=[(linked[0].ls_id, 1, "10.00")])
    monkeypatch.setattr(orders, "payments_send", lambda *a: (_ for _ in ()).throw(SystemError("worker died")))
    assert run(sc_tenant, clock).status in ("partial", "failed")
    monkeypatch.undo()
    assert run(sc_tenant, clock).status == "succeeded"
    assert len(orders_for(sc, sale)) == 1 and ledger(sc_tenant, sale).state == OrderLedger.State.ACCEPTED


@register_job("test.sellercloud_download_twin", interval=timedelta(minutes=1))
def download_twin(ctx):
    """The download under another job name: no run lock between it and the real job."""
    from channels.sellercloud.orders import orders_download

    orders_download(ctx=ctx)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("jobs", [(JOB, JOB), (JOB, "test.sellercloud_download_twin")])
def test_two_runs_at_once_make_one_order_per_sale(sc_tenant, sc, linked, clock, jobs):
    sales = [make_sale(sc_tenant, lines=[(linked[n % 3].ls_id, 1, "10.00")],
                       payments=[(payment_type(sc_tenant, "cash"), "10.00")]) for n in range(6)]
    outcomes = runs_together(sc_tenant, clock, jobs)
    assert len(outcomes) == 2 and "failed" not in outcomes, outcomes
    for sale in sales:
        [order] = orders_for(sc, sale)
        assert len(order["Payments"]) == 1


@pytest.mark.django_db(transaction=True)
def test_an_unknown_warehouse_fails_that_sale_with_a_clear_message(sc_tenant, sc, linked, clock):
    SellercloudShop.objects.for_tenant(sc_tenant).filter(shop_ls_id=1).update(warehouse_ids=[9])  # deleted since
    sale = make_sale(sc_tenant, lines=[(linked[0].ls_id, 1, "10.00")])
    result = run(sc_tenant, clock)
    assert result.status == "partial"
    row = ledger(sc_tenant, sale)
    assert row.state == OrderLedger.State.FAILED and "Warehouse 9 was not found" in row.last_error
    event = SyncEvent.objects.for_tenant(sc_tenant).get(run=result, level="error")
    assert event.message.startswith(f"Sellercloud refused sale {sale.ls_id}") and "retry the order" in event.message
    assert len(orders_for(sc, sale)) == 1  # created once; the retry continues it, it does not create another


@pytest.mark.django_db(transaction=True)
def test_a_429_and_an_expired_token_mid_run_lose_nothing(sc_tenant, sc, linked, clock):
    sales = [make_sale(sc_tenant, lines=[(linked[n].ls_id, 1, "10.00")]) for n in range(3)]
    sc.inject_fault("429", method="POST", path_contains="/api/Orders")
    sc.inject_fault("401", method="PUT", path_contains="/ShippingStatus")
    assert run(sc_tenant, clock).status == "succeeded"
    assert [len(orders_for(sc, s)) for s in sales] == [1, 1, 1]
    assert all(o["ShippingStatus"] == 3 for o in sc.orders.values())


def test_retry_puts_a_failed_order_back_and_queues_the_download(sc_tenant, queued_runs):
    from channels.sellercloud.services import sellercloud_order_retry

    row = OrderLedger.objects.create(tenant=sc_tenant, channel="sellercloud", external_id="5", state="failed")
    assert sellercloud_order_retry(order=row) == JOB
    row.refresh_from_db()
    assert row.state == OrderLedger.State.RECEIVED and row.attempts == 1


@pytest.mark.django_db(transaction=True)
def test_retry_of_a_refused_sale_sends_it_once_fixed(sc_tenant, sc, linked, clock):
    from channels.sellercloud.services import sellercloud_order_retry

    sale = make_sale(sc_tenant, lines=[(linked[0].ls_id, 1, "10.00")], when=timezone.now() - timedelta(hours=1))
    product = sc.products.pop("SKU-1")
    run(sc_tenant, clock)
    assert ledger(sc_tenant, sale).state == OrderLedger.State.FAILED
    sc.products["SKU-1"] = product  # the owner fixed it in Sellercloud
    sellercloud_order_retry(order=ledger(sc_tenant, sale))
    result = run_job(tenant=sc_tenant, job=JOB, clock=clock, params={"sale_id": str(sale.ls_id)})
    assert result.status == "succeeded", result.error
    assert len(orders_for(sc, sale)) == 1 and ledger(sc_tenant, sale).state == OrderLedger.State.ACCEPTED
