"""lightspeed.order_sales.sale_from_order against the sandbox: customer by email first, completed sales that
balance to the cent, payment types and the shipping item found or created once, unmatched lines kept,
oversized orders refused before sending, and sales that are not ours never claimed."""
from decimal import Decimal

from connector.models import OrderLedger
from connector.runs import run_job
from lightspeed.client import lightspeed_client
from lightspeed.costs import request_cost
from lightspeed.order_bodies import sale_body
from lightspeed.order_sales import SHIPPING_SKU

from . import order_feed


def run(tenant, clock):
    return run_job(tenant=tenant, job="test.feed_import", clock=clock)


def ledger(tenant, external_id):
    return OrderLedger.objects.for_tenant(tenant).get(channel=order_feed.CHANNEL, external_id=external_id)


def posts(sandbox, resource):
    return [r for r in sandbox.request_log if r["method"] == "POST" and r["path"].endswith(f"/{resource}.json")]


def sales_for(sandbox, reference):
    return [s for s in sandbox.state.sales.values() if s.reference_number == reference]


def test_known_customer_found_by_email_before_any_create(ls_tenant, ls_sandbox, feed, clock):
    known = next(c for c in ls_sandbox.state.customers.values() if c.contact.emails)
    for raw in feed:
        raw["email"] = known.contact.emails[0]["address"]
    run(ls_tenant, clock)
    assert posts(ls_sandbox, "Customer") == []
    assert {s.customer_id for raw in feed for s in sales_for(ls_sandbox, f"T-{raw['id']}")} == {known.customer_id}
    lookups = [r for r in ls_sandbox.request_log if r["path"].endswith("/Customer.json") and r["method"] == "GET"]
    assert lookups and all("Contact.email" in r["query"] for r in lookups)


def test_completed_sale_with_a_new_payment_type_and_a_shipping_line(ls_tenant, ls_sandbox, feed, clock):
    for raw in feed[:2]:  # 100 + 2 × 15.2055 + 4.95 shipping = 135.361 -> 135.36
        raw.update(completed=True, shipping="4.95", payments=[["135.36", "Webshop Pay"]])
    del feed[2:]
    assert run(ls_tenant, clock).status == "succeeded"
    assert len(posts(ls_sandbox, "PaymentType")) == 1 and len(posts(ls_sandbox, "Item")) == 1  # made once, reused
    (created_type,) = [p for p in ls_sandbox.state.payment_types.values() if p.name == "Webshop Pay"]
    assert created_type.type == "user defined"
    shipping = next(i for i in ls_sandbox.state.items.values() if i.custom_sku == SHIPPING_SKU)
    for raw in feed:
        (sale,) = sales_for(ls_sandbox, f"T-{raw['id']}")
        assert sale.completed and sale.total() == Decimal("135.36") and sale.paid() == Decimal("135.36")
        assert [p.payment_type_id for p in sale.payments] == [created_type.payment_type_id]
        (ship_line,) = [line for line in sale.lines if line.item_id == shipping.item_id]
        assert (ship_line.unit_quantity, ship_line.unit_price, ship_line.tax) == (1, Decimal("4.95"), False)


def test_payments_that_do_not_balance_are_refused_before_sending(ls_tenant, ls_sandbox, feed, clock):
    feed[0].update(completed=True, payments=[["130.40", "Cash"]])
    run(ls_tenant, clock)
    row = ledger(ls_tenant, feed[0]["id"])
    assert row.state == OrderLedger.State.FAILED
    assert "payments 130.40 do not balance the sale total 130.41 to the cent" in row.last_error
    assert sales_for(ls_sandbox, "T-700") == [] and len(sales_for(ls_sandbox, "T-701")) == 1


def test_unmatched_lines_are_listed_and_need_attention_never_dropped(ls_tenant, ls_sandbox, feed, clock):
    feed[0]["lines"].append([None, 3, "9.99"])
    run(ls_tenant, clock)
    (sale,) = sales_for(ls_sandbox, "T-700")
    assert len(sale.lines) == 2
    row = ledger(ls_tenant, "700")
    assert row.details["unmatched_lines"] == [{"external_id": "2", "sku": "sku-2", "title": "", "quantity": 3,
                                               "unit_price": "9.99"}]
    assert "1 line(s) without a Lightspeed item, not on the sale: sku-2" in row.attention
    assert ledger(ls_tenant, "701").attention == ""


def test_an_order_costing_more_than_the_bucket_is_refused_with_a_message(ls_tenant, ls_sandbox, feed, clock, items):
    feed[0]["lines"] = [[items[n % 10], 1, "1.00"] for n in range(10_000)]
    order = order_feed.channel_order_of(feed[0])
    cost = request_cost("POST", "/API/V3/Account/1/Sale.json", body=sale_body(order, customer_id=1))
    assert cost > 5000
    run(ls_tenant, clock)
    row = ledger(ls_tenant, "700")
    assert row.state == OrderLedger.State.FAILED
    assert f"it would cost {cost:g} drips, more than the account's whole rate-limit bucket (90)" in row.last_error
    assert sales_for(ls_sandbox, "T-700") == [] and len(sales_for(ls_sandbox, "T-701")) == 1
    assert len(posts(ls_sandbox, "Sale")) == 2  # the other two orders only


def test_a_sale_with_our_reference_that_we_did_not_make_is_never_claimed(ls_tenant, ls_sandbox, feed, clock, items):
    """Issue 15 item 9: another tenant's ledger (or anyone) made a sale with the same reference and source."""
    with lightspeed_client(ls_tenant, clock=clock) as client:
        client.post("Sale", {"shopID": 1, "registerID": 1, "employeeID": 1, "referenceNumber": "T-700",
                             "referenceNumberSource": "Testfeed",
                             "SaleLines": {"SaleLine": [{"itemID": items[5], "unitQuantity": 1}]}})
    (foreign,) = sales_for(ls_sandbox, "T-700")
    clock.advance(600)
    run(ls_tenant, clock)
    row = ledger(ls_tenant, "700")
    assert row.sale_id and row.sale_id != str(foreign.sale_id) and str(foreign.sale_id) not in row.sale_ids
    assert row.details["foreign_sale_ids"] == [foreign.sale_id]
    assert "not made by this order: left alone" in row.attention
    run_job(tenant=ls_tenant, job="lightspeed.orders_reconcile", clock=clock)
    assert not ls_sandbox.state.sales[foreign.sale_id].archived  # the reconcile never touches it either


def test_only_orders_with_an_unclear_post_are_watched_by_the_reconcile(ls_tenant, ls_sandbox, feed, clock):
    ls_sandbox.inject_fault("timeout", method="POST", path_contains="/Sale.json")
    run(ls_tenant, clock)
    rows = {raw["id"]: ledger(ls_tenant, raw["id"]) for raw in feed}
    assert rows["700"].watch_until is not None and rows["700"].state == OrderLedger.State.SALE_PENDING
    assert rows["701"].watch_until is None and rows["702"].watch_until is None  # clean answers: one POST, one sale
    requests = len(ls_sandbox.request_log)
    run_job(tenant=ls_tenant, job="lightspeed.orders_reconcile", clock=clock)
    assert len(ls_sandbox.request_log) == requests  # the watched row has no sale yet: nothing to look up
    clock.advance(241)
    run(ls_tenant, clock)
    assert ledger(ls_tenant, "700").state == OrderLedger.State.SALE_CREATED
    requests = len(ls_sandbox.request_log)
    run_job(tenant=ls_tenant, job="lightspeed.orders_reconcile", clock=clock)
    assert len(ls_sandbox.request_log) == requests + 1  # one lookup, for the one watched order
