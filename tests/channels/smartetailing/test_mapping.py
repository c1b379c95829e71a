"""Reading the v2.00 feed and mapping a web order to a ChannelOrder: pure functions, no database."""
from decimal import Decimal

import pytest

from channels.smartetailing.mapping import Booking, FeedProblem, ItemLookup, channel_order_from_web_order, \
    country_code, feed_split, order_balanced, order_fulfilled, web_order_parse
from channels.smartetailing.sandbox import SmartEtailingSandbox, seeding
from channels.smartetailing.sandbox.feed_xml import web_orders
from connector.http import BadResponse

BOOKING = Booking(shop_ls_id=1, register_ls_id=3, employee_ls_id=1, shops_by_location={"Cincinnati, OH": 2})
LOOKUP = ItemLookup(by_sku={"72404": 11}, by_upc={"888818539079": 10}, by_ean={"4026495869344": 12},
                    by_mpn={"T222B": 20})


def feed(*orders_kwargs, clock=None):
    sb = SmartEtailingSandbox(clock=clock, seed=1)
    ids = [sb.add_order(**kwargs) for kwargs in orders_kwargs]
    return sb, ids, web_orders(sb.orders_open()).encode()


def parsed(**kwargs):
    _, _, xml = feed(kwargs)
    ((_, chunk),) = feed_split(xml)
    return web_order_parse(chunk)


def test_the_demo_export_order_reads_back_with_its_quirks_undone():
    order = parsed(**seeding.demo_export_order())
    assert order.order_id == "011521-031915-526" and order.status == "Cancelled"
    assert order.items[0].category == "Catalog > Accessories > Lighting > Headlights"  # escaped twice on the wire
    assert order.items[0].code == "72404" and order.items[1].gtin1 == "00857373008306"
    assert order.totals == {"Subtotal": Decimal("418.99"), "Discount": Decimal("0.00"), "Shipping": Decimal("0.00"),
                            "Tax": Decimal("25.14"), "Total": Decimal("444.13")}
    assert order.pickup_location == "Newport, KY" and order_balanced(order)


def test_balanced_means_captured_equals_total():
    assert order_balanced(parsed(shipping="7.50"))
    assert not order_balanced(parsed(paid=False))
    assert not order_balanced(parsed(captured="1.00"))
    assert order_balanced(parsed(offline="5.00"))  # captured online + the offline "Manual" payment


def test_fulfilled_needs_every_item_marked():
    items = [{"gtin1": "888818539079"}, {"mpn": "T222B"}]
    assert order_fulfilled(parsed(items=items, fulfilled=True))
    assert not order_fulfilled(parsed(items=items, fulfilled=[True, False]))
    assert not order_fulfilled(parsed(items=items))  # the feed says nothing: not known to be fulfilled


def test_one_malformed_order_spoils_only_itself():
    sb, ids, _ = feed({})
    sb.add_raw_order("<WebOrder><Order><OrderId>BROKEN-1</OrderId><Items></Order></WebOrder>", "BROKEN-1")
    xml = web_orders([o for o in sb.orders_open() if o["raw"] is None]).replace(
        "</WebOrders>", sb.orders["BROKEN-1"]["raw"] + "</WebOrders>").encode()
    chunks = feed_split(xml)
    assert [order_id for order_id, _ in chunks] == [ids[0], "BROKEN-1"]
    assert web_order_parse(chunks[0][1]).order_id == ids[0]
    with pytest.raises(FeedProblem, match="not well-formed"):
        web_order_parse(chunks[1][1])


@pytest.mark.parametrize("quantity,message", [("0", "the quantity is 0"), ("-2", "the quantity is -2"),
                                              ("two", "not a whole number")])
def test_a_bad_quantity_is_a_problem_of_that_order(quantity, message):
    _, _, xml = feed({"items": [{"gtin1": "1", "quantity": 1}]})
    ((_, chunk),) = feed_split(xml)
    chunk = chunk.replace(b"<Quantity>1</Quantity>", f"<Quantity>{quantity}</Quantity>".encode())
    with pytest.raises(FeedProblem, match=message):
        web_order_parse(chunk)


def test_a_missing_required_element_is_named():
    _, _, xml = feed({})
    chunk = feed_split(xml)[0][1].replace(b"<OrderTotal>", b"<Totals>").replace(b"</OrderTotal>", b"</Totals>")
    with pytest.raises(FeedProblem, match="no Total line"):
        web_order_parse(chunk)


@pytest.mark.parametrize("body", [b"<html>down</html>", b"<!DOCTYPE x [<!ENTITY a 'b'>]><WebOrders/>"])
def test_a_document_that_is_no_feed_is_a_bad_response(body):
    with pytest.raises(BadResponse):
        feed_split(body)


def test_lines_match_by_code_then_upc_then_ean_then_mpn():
    order = parsed(items=[{"code": "72404", "gtin1": "999"}, {"gtin1": "888818539079"},
                          {"gtin2": "4026495869344"}, {"mpn": "T222B"}, {"gtin1": "000000000000"}])
    channel_order = channel_order_from_web_order(order, items=LOOKUP, booking=BOOKING)
    assert [line.item_ls_id for line in channel_order.lines] == [11, 10, 12, 20, None]
    assert channel_order.extra["matched_by"] == ["code", "gtin1", "gtin2", "mpn", ""]
    assert [line.sku for line in channel_order.unmatched_lines] == ["000000000000"]


def test_a_13_digit_gtin1_is_found_among_the_eans():
    order = parsed(items=[{"gtin1": "4026495869344"}])
    assert channel_order_from_web_order(order, items=LOOKUP, booking=BOOKING).lines[0].item_ls_id == 12


def test_the_channel_order_carries_customer_shipping_payments_and_booking():
    customer = {"first": "Dana", "last": "Nguyen", "full": "Dana Nguyen", "address1": "12 Vine St",
                "city": "Cincinnati", "state": "OH", "zip": "45202", "country": "United States",
                "phone": "513-555-0101", "email": "Dana.Nguyen@Example.com"}
    order = parsed(items=[{"gtin1": "888818539079", "quantity": 2, "unit_price": "39.99"}], customer=customer,
                   shipping="9.95", tax="4.80", offline="3.00", method="Stripe")
    co = channel_order_from_web_order(order, items=LOOKUP, booking=BOOKING)
    assert co.reference == f"SE-{order.order_id}" and co.completed and co.reference_source == "SmartEtailing"
    assert (co.shop_ls_id, co.register_ls_id, co.employee_ls_id) == (1, 3, 1)
    assert co.lines[0].quantity == 2 and co.lines[0].unit_price == Decimal("39.99")
    assert co.shipping == Decimal("9.95")
    assert [(p.method, p.amount) for p in co.payments] == [("Stripe", Decimal("91.73")), ("Manual", Decimal("3.00"))]
    assert co.customer.email == "dana.nguyen@example.com" and co.customer.last_name == "Nguyen"
    assert co.ship_to.city == "Cincinnati" and co.ship_to.country == "US" and co.ship_to.line1 == "12 Vine St"
    assert co.tax == Decimal("4.80") and co.extra["total"] == "94.73"


def test_a_paypal_order_without_bill_to_takes_the_customer_from_the_ship_to():
    order = parsed(method="PayPal", bill_to_empty=True)
    co = channel_order_from_web_order(order, items=LOOKUP, booking=BOOKING)
    assert co.customer.email == order.ship_to.email.lower() and co.customer.first_name == order.ship_to.first
    assert co.payments[0].method == "PayPal"


def test_an_in_store_pickup_is_booked_on_the_shop_of_its_location():
    co = channel_order_from_web_order(parsed(pickup_location="Cincinnati, OH"), items=LOOKUP, booking=BOOKING)
    assert co.shop_ls_id == 2


def test_gift_cards_are_left_out_and_listed():
    order = parsed(items=[{"gtin1": "888818539079"}, {"description": "eGift Card $50", "unit_price": "50.00"}])
    co = channel_order_from_web_order(order, items=LOOKUP, booking=BOOKING)
    assert len(co.lines) == 1 and co.extra["skipped_lines"] == [
        {"line": 2, "description": "eGift Card $50", "reason": "gift card", "amount": "50.00"}]


def test_country_names_become_codes():
    assert [country_code(c) for c in ("United States", "ca", "Atlantis", "")] == ["US", "CA", "", ""]
