"""The pure mapping: a Lightspeed sale -> one Sellercloud order; warehouses -> a shop's qoh; what to write."""
from datetime import datetime, timezone
from decimal import Decimal
from types import SimpleNamespace as NS

from channels.sellercloud.mapping import ItemChange, order_plan, qoh_for_shop, upload_changes

WHEN = datetime(2026, 12, 2, 14, 30, tzinfo=timezone.utc)
CASH = NS(ls_id=1, type="cash")


def sale(**kw):
    return NS(**{"ls_id": 77, "ticket_number": "220000077", "complete_time": WHEN, "total": Decimal("25.00"), **kw})


def line(item, qty, price, discount="0", tax="0", ls_id=None):
    return NS(ls_id=ls_id or item * 10, item_ls_id=item, quantity=qty, unit_price=Decimal(price),
              discount=Decimal(discount), tax=Decimal(tax))


def plan(lines, payments=(), customer=None, ship_to=None, company=None, skus=None):
    return order_plan(sale(), lines=lines, payments=list(payments), customer=customer, ship_to=ship_to,
                      company_id="163", sku_by_item=skus if skus is not None else {1: "SKU-1", 2: "SKU-2"},
                      item_names={1: "Tee", 2: "Cap"}, kinds={1: "cash", 2: "credit card", 3: "gift card"},
                      warehouse_id=4, company=company)


def test_a_sale_is_a_local_store_order_keyed_by_sale_id():
    p = plan([line(1, 2, "10.00", tax="1.50")], payments=[NS(ls_id=5, payment_type_ls_id=1, payment_type_name="Cash",
                                                              amount=Decimal("21.50"))])
    details = p.body["OrderDetails"]
    assert details == {"CompanyID": 163, "Channel": 0, "OrderSourceOrderID": "77", "OrderDate": "2026-12-02T14:30:00",
                       "DisableInventoryCount": False}
    assert p.body["Products"] == [{"ProductID": "SKU-1", "ProductName": "Tee", "Qty": 2, "SitePrice": 10.0,
                                   "DiscountValue": 0.0, "DiscountType": 0, "LineTaxTotal": 1.5, "ReferenceID": "10",
                                   "Notes": ""}]
    assert p.payments == [{"PaymentMethod": 4, "Amount": 21.5, "Notes": "Lightspeed Cash", "ReferenceNumber": "LS-5"}]
    assert p.ship == {"ShippingCarrier": "Other", "ShippingService": "Pickup", "ShipFromWarehouseID": 4,
                      "ShipDate": "2026-12-02T14:30:00"}
    assert p.body["ShippingMethodDetails"]["Carrier"] == "Other"


def test_no_customer_is_lightspeed_order_and_a_customer_is_copied():
    anonymous = plan([line(1, 1, "5")]).body["CustomerDetails"]
    assert (anonymous["FirstName"], anonymous["LastName"]) == ("Lightspeed", "Order") and anonymous["Email"]
    jane = NS(first_name="Jane", last_name="Doe", company="", email="jane@example.com")
    ship_to = NS(first_name="Jane", last_name="Doe", company="", address={"address1": "1 Road", "city": "Aarhus"})
    p = plan([line(1, 1, "5")], customer=jane, ship_to=ship_to)
    assert p.body["CustomerDetails"]["Email"] == "jane@example.com"
    assert p.body["ShippingAddress"]["Address"] == "1 Road" and p.body["BillingAddress"]["City"] == "Aarhus"


def test_company_address_switch_puts_it_on_both_addresses():
    company = {"Business": "Sandbox Retail", "Address": "1 Main St", "City": "Brooklyn", "ZipCode": "11201"}
    p = plan([line(1, 1, "5")], customer=NS(first_name="Jane", last_name="Doe", company="", email="j@x.y"),
             company=company)
    assert p.body["ShippingAddress"]["Address"] == p.body["BillingAddress"]["Address"] == "1 Main St"
    assert p.body["CustomerDetails"]["FirstName"] == "Jane"


def test_an_unmapped_item_goes_on_as_unknown_and_is_listed():
    p = plan([line(1, 1, "5"), line(9, 1, "3")])
    assert [x["ProductID"] for x in p.body["Products"]] == ["SKU-1", "UNKNOWN"]
    assert p.unknown_items == [9] and any("UNKNOWN: 9" in n["Note"] for n in p.body["Notes"])


def test_payments_map_to_manual_methods_and_no_payment_is_marked_paid():
    card = NS(ls_id=6, payment_type_ls_id=2, payment_type_name="Credit Card", amount=Decimal("10"))
    gift = NS(ls_id=7, payment_type_ls_id=3, payment_type_name="Gift Card", amount=Decimal("5"))
    p = plan([line(1, 1, "15")], payments=[card, gift])
    assert [(x["PaymentMethod"], x["Notes"]) for x in p.payments] == [(6, "Lightspeed Credit Card"),
                                                                      (5, "Lightspeed Gift Card")]
    unpaid = plan([line(1, 1, "25")])
    assert unpaid.payments[0]["PaymentMethod"] == 6 and unpaid.payments[0]["Amount"] == 25.0
    assert any("marked paid" in n["Note"] for n in unpaid.body["Notes"])


def test_item_discounts_are_noted_at_order_level():
    p = plan([line(1, 2, "10", discount="3"), line(2, 1, "5", discount="1.5")])
    note = next(n["Note"] for n in p.body["Notes"] if n["Note"].startswith("Item discounts"))
    assert "total 4.50" in note and "Tee: 3.00" in note
    assert [x["DiscountValue"] for x in p.body["Products"]] == [3.0, 1.5]


def test_returned_lines_are_returns_and_noted_not_products():
    refund = NS(ls_id=8, payment_type_ls_id=1, payment_type_name="Cash", amount=Decimal("-10"))
    p = plan([line(1, -1, "10"), line(2, 1, "5")], payments=[refund])
    assert [x["ProductID"] for x in p.body["Products"]] == ["SKU-2"]
    assert p.returns == [{"sku": "SKU-1", "qty": 1, "item_ls_id": 1, "name": "Tee"}]
    notes = " ".join(n["Note"] for n in p.body["Notes"])
    assert "1 x SKU-1 (Tee)" in notes and "Refunded in Lightspeed: 10.00" in notes and not p.payments


def test_a_shop_s_qoh_is_its_warehouses_summed():
    assert qoh_for_shop({"1": 4, "2": 3, "3": 100}, [1, 2]) == 7
    assert qoh_for_shop({"1": 4}, [2]) == 0


def product(**kw):
    return NS(**{"item_ls_id": 5, "warehouse_qty": {"1": 4, "2": 3}, "price": Decimal("10.00"),
                 "cost": Decimal("4.00"), "uploaded": {}, **kw})


def test_only_values_that_differ_are_written():
    same = upload_changes(product(), shops={1: [1, 2]}, mirror_qoh={1: 7}, mirror_price=Decimal("10"),
                          price_on=True, cost_on=False)
    assert same.empty
    diff = upload_changes(product(), shops={1: [1, 2], 2: [2]}, mirror_qoh={1: 7, 2: 1}, mirror_price=Decimal("9"),
                          price_on=True, cost_on=True)
    assert diff.qoh == {2: 3} and diff.price == Decimal("10.00") and diff.cost == Decimal("4.00")


def test_switches_gate_price_and_cost():
    change = upload_changes(product(), shops={1: [1]}, mirror_qoh={1: 4}, mirror_price=Decimal("1"),
                            price_on=False, cost_on=False)
    assert change.empty


def test_a_lightspeed_change_since_our_upload_is_a_conflict_sellercloud_wins():
    change = upload_changes(product(uploaded={"qoh": {"1": 7}}), shops={1: [1, 2]}, mirror_qoh={1: 5},
                            mirror_price=None, price_on=False, cost_on=False)
    assert change.conflicts == (("qoh of shop 1", 5, 7),) and change.qoh == {1: 7}


def test_one_put_carries_qoh_price_and_cost():
    from channels.sellercloud.lswrites import item_change_request

    write = item_change_request(ItemChange(item_ls_id=5, qoh={1: 7, 2: 3}, price=Decimal("10"), cost=Decimal("4")))
    assert (write.method, write.path) == ("PUT", "Item/5")
    assert write.body["ItemShops"]["ItemShop"] == [{"shopID": "1", "qoh": "7"}, {"shopID": "2", "qoh": "3"}]
    assert write.body["Prices"]["ItemPrice"] == [{"amount": "10", "useTypeID": "1"}]
    assert write.body["defaultCost"] == "4"
    only_qoh = item_change_request(ItemChange(item_ls_id=5, qoh={1: 0}))
    assert set(only_qoh.body) == {"ItemShops"}
