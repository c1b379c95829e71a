"""lightspeed.writes against the sandbox (in-process transport): the sandbox's state after each write, and
the cost the sandbox charged equal to the cost predicted before sending."""
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest

from connector.http import Invalid, Transient
from lightspeed import writes
from lightspeed.client import lightspeed_client

from .conftest import api_requests


@pytest.fixture
def client(connected, tenant, clock):
    with lightspeed_client(tenant, clock=clock) as client:
        yield client


def charged(sandbox):
    """Status and charged cost of the last API request."""
    last = api_requests(sandbox)[-1]
    return last["status"], last["cost"]


def open_sale(sandbox, client, item_id=5, quantity=3, **extra):
    body = {"employeeID": 1, "shopID": 1, "registerID": 1,
            "SaleLines": {"SaleLine": {"itemID": item_id, "unitQuantity": quantity, "unitPrice": "10"}}, **extra}
    return int(client.post("Sale", body)["Sale"]["saleID"])


def test_item_create_with_prices_cost_and_codes(client, sandbox):
    fields = dict(description="Trail shoe", custom_sku="TS-1", upc="012345678905", ean="5701234567899",
                  manufacturer_sku="MFR-9", default_cost=Decimal("41.50"),
                  prices={1: Decimal("99.95"), "MSRP": Decimal("120")})
    predicted = writes.item_create_request(**fields).cost
    item = writes.item_create(client, **fields)
    assert charged(sandbox) == (200, predicted) and predicted == 1 + 0.5 * 2
    stored = sandbox.state.items[item.item_id]
    assert (stored.description, stored.custom_sku, stored.upc, stored.ean, stored.manufacturer_sku) == (
        "Trail shoe", "TS-1", "012345678905", "5701234567899", "MFR-9")
    assert stored.default_cost == 4150 and stored.prices[:3] == (9995, 12000, 0)
    assert item.prices[1] == Decimal("99.95") and item.prices[2] == Decimal("120")
    assert {s.shop_id for s in item.shops} == {0, 1, 2}  # one ItemShop per shop plus the summary


def test_item_create_without_description_is_refused_before_sending(client, sandbox):
    with pytest.raises(ValueError):
        writes.item_create(client, custom_sku="X")
    assert api_requests(sandbox, "/Item") == []


def test_item_update_changes_only_what_is_sent(client, sandbox):
    before = sandbox.state.items[7]
    description, upc = before.description, before.upc
    write = writes.item_update_request(7, prices={"Default": "12.5"}, default_cost="3.25", ean="4006381333931")
    item = writes.item_update(client, 7, prices={"Default": "12.5"}, default_cost="3.25", ean="4006381333931")
    assert charged(sandbox) == (200, write.cost) and write.cost == 1.5
    after = sandbox.state.items[7]
    assert (after.prices[0], after.default_cost, after.ean) == (1250, 325, "4006381333931")
    assert (after.description, after.upc) == (description, upc)
    assert item.prices[1] == Decimal("12.5")


def test_item_update_with_a_bad_price_level_changes_nothing(client, sandbox):
    prices = sandbox.state.items[7].prices
    with pytest.raises(Invalid) as exc:
        writes.item_update(client, 7, prices={99: "1"}, default_cost="9")
    assert "price level" in str(exc.value)
    assert sandbox.state.items[7].prices == prices and api_requests(sandbox)[-1]["status"] == 400


def test_stock_set_writes_absolute_qoh_per_shop_in_one_put(client, sandbox):
    write = writes.item_stock_set_request(9, {1: 5, 2: 0})
    item = writes.item_stock_set(client, 9, {1: 5, 2: 0})
    assert charged(sandbox) == (200, write.cost) and write.cost == 1 + 0.5 * 2
    rows = {r.shop_id: r.qoh for r in sandbox.state.item_shops_by_item[9]}
    assert rows[1] == 5 and rows[2] == 0 and rows[0] == 5  # the summary follows
    assert {s.shop_id: s.qoh for s in item.shops}[1] == 5
    writes.item_stock_set(client, 9, {1: 5})  # absolute: sending it again changes nothing
    assert {r.shop_id: r.qoh for r in sandbox.state.item_shops_by_item[9]}[1] == 5


def test_stock_for_the_summary_shop_is_refused_before_sending():
    with pytest.raises(ValueError):
        writes.item_stock_set_request(9, {0: 3})


def test_put_item_shop_does_not_change_qoh(client, sandbox):
    row = next(r for r in sandbox.state.item_shops_by_item[9] if r.shop_id == 1)
    qoh = row.qoh
    answer = client.put(f"ItemShop/{row.item_shop_id}", {"qoh": qoh + 10, "reorderPoint": 2})["ItemShop"]
    assert answer["qoh"] == str(qoh) and answer["reorderPoint"] == "2"  # accepted, qoh ignored (as upstream)
    assert row.qoh == qoh and row.reorder_point == 2


def test_payment_type_find_or_create(client, sandbox):
    found, created = writes.payment_type_find_or_create(client, "miinto")  # seeded "Miinto", any case
    assert (found.payment_type_id, created) == (5, False)
    before = len(sandbox.state.payment_types)
    made, created = writes.payment_type_find_or_create(client, "SmartEtailing")
    assert created and made.type == "user defined" and not made.internal_reserved
    assert charged(sandbox) == (200, writes.payment_type_create_request("SmartEtailing").cost)
    assert len(sandbox.state.payment_types) == before + 1
    again, created = writes.payment_type_find_or_create(client, "SmartEtailing")
    assert again.payment_type_id == made.payment_type_id and not created
    assert len(sandbox.state.payment_types) == before + 1


def test_an_archived_payment_type_is_brought_back_not_duplicated(client, sandbox):
    restored, created = writes.payment_type_find_or_create(client, "Old Voucher")
    assert not created and restored.payment_type_id == 6 and not sandbox.state.payment_types[6].archived


def test_api_created_payment_types_are_user_defined_and_reserved_ones_cannot_change(client, sandbox):
    raw = client.post("PaymentType", {"name": "Card online", "type": "credit card"})["PaymentType"]
    assert raw["type"] == "user defined" and raw["internalReserved"] == "false"
    with pytest.raises(Invalid) as exc:
        client.put("PaymentType/1", {"name": "Money"})
    assert "reserved" in str(exc.value) and sandbox.state.payment_types[1].name == "Cash"
    with pytest.raises(Invalid):
        client.post("PaymentType", {"name": " "})


def test_customer_create_find_by_email_and_update(client, sandbox):
    fields = dict(first_name="Jane", last_name="Doe", email="Jane.Doe@example.com", phone="+45 1234",
                  address={"address1": "Main St 1", "city": "Aarhus", "zip": "8000", "countryCode": "DK"})
    write = writes.customer_create_request(**fields)
    created = writes.customer_create(client, **fields)
    assert charged(sandbox) == (200, write.cost) and write.cost == 1 + 0.5 * 4  # Contact, email, phone, address
    stored = sandbox.state.customers[created.customer_id]
    assert stored.contact.emails == [{"address": "Jane.Doe@example.com", "useType": "Primary"}]
    assert stored.contact.addresses[0]["city"] == "Aarhus" and stored.contact.phones[0]["number"] == "+45 1234"
    found = writes.customer_find_by_email(client, "jane.doe@EXAMPLE.com")
    assert found.customer_id == created.customer_id and found.email == "Jane.Doe@example.com"
    assert found.phones == [{"number": "+45 1234", "useType": "Home"}] and found.addresses[0]["zip"] == "8000"
    assert charged(sandbox)[1] == writes.read_cost("Customer", {"load_relations": '["Contact"]'}) == 1.2
    writes.customer_update(client, created.customer_id, last_name="Smith", mobile="+45 999")
    assert stored.last_name == "Smith" and stored.first_name == "Jane"
    assert stored.contact.phones == [{"number": "+45 999", "useType": "Mobile"}]
    assert stored.contact.emails[0]["address"] == "Jane.Doe@example.com"  # not sent, kept


def test_customer_find_by_email_misses_cleanly(client, sandbox):
    assert writes.customer_find_by_email(client, "nobody@example.invalid") is None
    calls = len(api_requests(sandbox))
    assert writes.customer_find_by_email(client, "  ") is None and len(api_requests(sandbox)) == calls


def test_ship_to_set_marks_shipped_and_keeps_the_address(client, sandbox):
    ship_to = {"firstName": "Jane", "lastName": "Doe", "Contact": {
        "Addresses": {"ContactAddress": {"address1": "Main St 1", "city": "Aarhus"}}}}
    sale_id = open_sale(sandbox, client, ShipTo=ship_to)
    sandbox.complete_sale(sale_id)
    note = writes.track_and_trace_note("00370712345", "GLS")
    write = writes.sale_ship_to_request(sale_id, ship_note=note)
    result = writes.sale_ship_to_set(client, sale_id, ship_note=note)
    assert charged(sandbox) == (200, write.cost) and write.cost == 2.5
    stored = sandbox.state.sales[sale_id].ship_to
    assert stored.shipped and stored.ship_note == "Track & Trace: 00370712345 (GLS)"
    assert stored.first_name == "Jane" and stored.contact.addresses[0]["city"] == "Aarhus"
    assert result.shipped and result.ship_note == note and result.sale_id == sale_id


def test_ship_to_on_a_sale_without_one_creates_it(client, sandbox):
    sale_id = open_sale(sandbox, client)
    result = writes.sale_ship_to_set(client, sale_id, shipped=False, ship_note="packing")
    assert result.ship_to_id and not result.shipped
    assert sandbox.state.ship_tos[result.ship_to_id].sale_id == sale_id


def test_quotes_read_with_their_sales(client, sandbox):
    sale_id = open_sale(sandbox, client, item_id=11, quantity=2)
    raw = client.post("Quote", {"saleID": sale_id, "notes": "Checkout 77", "issueDate": "2026-04-04"})["Quote"]
    assert raw["issueDate"] == "2026-04-03T22:00:00+00:00"  # midnight in the shop's zone (Copenhagen, CEST)
    other = open_sale(sandbox, client)
    archived = client.post("Quote", {"saleID": other})["Quote"]["quoteID"]
    client.request_json("DELETE", client.url_for(f"Quote/{archived}"))
    assert sandbox.state.quotes[int(archived)].archived and not sandbox.state.sales[other].archived
    calls = len(api_requests(sandbox))
    quotes = writes.quotes_read(client)
    assert [q.quote_id for q in quotes] == [int(raw["quoteID"])]
    assert quotes[0].notes == "Checkout 77" and quotes[0].sale.sale_id == sale_id
    assert quotes[0].sale.lines[0]["item_id"] == 11 and quotes[0].sale.lines[0]["quantity"] == 2
    assert len(api_requests(sandbox)) == calls + 2  # one page of quotes, one page of their sales
    assert sandbox.state.sales[sale_id].quote_id == int(raw["quoteID"])


def test_a_quote_needs_an_open_sale(client, sandbox):
    sale_id = open_sale(sandbox, client)
    sandbox.complete_sale(sale_id)
    with pytest.raises(Invalid):
        client.post("Quote", {"saleID": sale_id})
    assert not sandbox.state.quotes


def test_open_sales_read_since(client, sandbox, clock):
    first = open_sale(sandbox, client)
    clock.advance(10)
    second = open_sale(sandbox, client, item_id=6)
    done = open_sale(sandbox, client)
    sandbox.complete_sale(done)
    since = sandbox.state.sales[second].time_stamp
    found = writes.open_sales_read(client, since=datetime.fromtimestamp(since, tz=timezone.utc))
    assert [s.sale_id for s in found] == [second]
    assert {s.sale_id for s in writes.open_sales_read(client)} >= {first, second}
    assert done not in {s.sale_id for s in writes.open_sales_read(client)}
    assert charged(sandbox)[1] == writes.read_cost("Sale", writes.open_sales_params()) == 1 + 2 * (0.2 + 0.1 * 4)


def test_refund_a_line_and_read_it_back(client, sandbox, clock):
    sale_id = open_sale(sandbox, client, item_id=12, quantity=3)
    sandbox.complete_sale(sale_id)
    sold_line = sandbox.state.sales[sale_id].lines[0]
    qoh_before = next(r.qoh for r in sandbox.state.item_shops_by_item[12] if r.shop_id == 1)
    kwargs = dict(employee_id=1, register_id=1, shop_id=1, payment_type_id=1, lines={sold_line.sale_line_id: 2})
    write = writes.sale_refund_request(sale_id, **kwargs)
    refund = writes.sale_refund(client, sale_id, **kwargs)
    assert charged(sandbox) == (200, write.cost) and write.cost == 10 + 0.5 * 2
    stored = sandbox.state.sales[refund.sale_id]
    assert stored.completed and stored.total() == Decimal("-20") and stored.payments[0].amount == Decimal("-20")
    assert next(r.qoh for r in sandbox.state.item_shops_by_item[12] if r.shop_id == 1) == qoh_before + 2
    since = sandbox.state.sales[sale_id].complete_time
    refunds = writes.refund_sales_read(client, datetime.fromtimestamp(since, tz=timezone.utc) - timedelta(seconds=1))
    assert [r.sale_id for r in refunds] == [refund.sale_id]  # the original sale is not a refund
    line = refunds[0].lines[0]
    assert (line.parent_sale_line_id, line.item_id, line.quantity) == (sold_line.sale_line_id, 12, -2)
    with pytest.raises(Invalid):  # only one is left to give back
        writes.sale_refund(client, sale_id, **{**kwargs, "lines": {sold_line.sale_line_id: 2}})


def test_a_whole_sale_refund_takes_what_is_left(client, sandbox):
    sale_id = open_sale(sandbox, client, item_id=12, quantity=3)
    sandbox.complete_sale(sale_id)
    refund = writes.sale_refund(client, sale_id, employee_id=1, register_id=1, shop_id=1, payment_type_id=1)
    assert [line.quantity for line in refund.lines] == [-3]
    with pytest.raises(Invalid):
        writes.sale_refund(client, sale_id, employee_id=1, register_id=1, shop_id=1, payment_type_id=1)


def test_a_lost_payment_type_create_is_found_not_duplicated(client, sandbox):
    sandbox.inject_fault("drop_after_commit", method="POST", path_contains="/PaymentType")
    made, created = writes.payment_type_find_or_create(client, "Buckles")
    assert created and [t.name for t in sandbox.state.payment_types.values()].count("Buckles") == 1
    assert made.name == "Buckles"


def test_a_lost_answer_on_a_post_is_not_resent(client, sandbox):
    sandbox.inject_fault("drop_after_commit", method="POST", path_contains="/Item")
    before = len(sandbox.state.items)
    with pytest.raises(Transient):
        writes.item_create(client, description="Once")
    assert len(sandbox.state.items) == before + 1


def test_a_write_that_could_never_fit_the_bucket_is_refused_before_sending(client, sandbox):
    quantities = {shop_id: 1 for shop_id in range(1, 200)}  # 1 + 0.5 × 199 drips
    with pytest.raises(writes.WriteTooCostly) as exc:
        writes.item_stock_set(client, 9, quantities)
    assert "more than Lightspeed's bucket of 90" in str(exc.value)
    assert api_requests(sandbox, "/Item/9") == []
