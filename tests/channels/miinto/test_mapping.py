"""Pure mapping: Miinto transfer -> checked order -> Lightspeed customer and sale bodies (seed 000's fields)."""
from decimal import Decimal

import pytest

from channels.miinto import mapping
from lightspeed import order_bodies as order_sales


def raw_transfer(**overrides):
    raw = {
        "id": 700001,
        "currency": "DKK",
        "pendingPositions": [
            {"id": 1, "quantity": 2, "price": 49950, "item": {"gtin": "5700000000017"}},
            {"id": 2, "quantity": 1, "price": 10000, "item": {"gtin": "5700000000024"}},
        ],
        "billingInformation": {"name": "Anna Maria Jensen", "email": "anna@example.com", "phone": "+45 12345678",
                               "address": {"street": "Strøget 12", "postcode": "1050", "city": "København K",
                                           "countryCode": "DK"}},
        "shippingInformation": {"deliveryAddress": {"name": "Anna Jensen", "type": "home",
                                                    "address": {"street": "Vestergade 3", "postcode": "8000",
                                                                "city": "Aarhus C", "countryCode": "DK"}}},
    }
    raw.update(overrides)
    return raw


def test_price_minor_units_to_decimal():
    assert mapping.minor_to_decimal(49950) == Decimal("499.50")
    assert mapping.minor_to_decimal(5) == Decimal("0.05")


@pytest.mark.parametrize("name, expected", [
    ("Anna Maria Jensen", ("Anna Maria", "Jensen")), ("Cher", ("Cher", "")), ("", ("", "")), (None, ("", "")),
    ("  Lars   Berg ", ("Lars", "Berg")),
])
def test_name_split(name, expected):
    assert mapping.name_split(name) == expected


def order_of(transfer, lines=(), reference="MIINTO-700001"):
    return mapping.channel_order_of(transfer=transfer, reference=reference, lines=lines, shop_id=1, register_id=3,
                                    employee_id=2)


def test_customer_body_maps_the_seed_fields():
    transfer = mapping.transfer_parse(raw_transfer())
    body = order_sales.customer_body(order_of(transfer, [(transfer.positions[0], 11)]).customer)
    assert (body["firstName"], body["lastName"]) == ("Anna Maria", "Jensen")
    address = body["Contact"]["Addresses"]["ContactAddress"]
    assert address == {"address1": "Strøget 12", "city": "København K", "zip": "1050", "country": "Denmark",
                       "countryCode": "DK"}
    assert body["Contact"]["Phones"]["ContactPhone"]["number"] == "+45 12345678"
    assert body["Contact"]["Emails"]["ContactEmail"] == {"address": "anna@example.com", "useType": "Primary"}


def test_sale_body_is_open_with_reference_lines_and_ship_to():
    transfer = mapping.transfer_parse(raw_transfer())
    lines = [(transfer.positions[0], 11), (transfer.positions[1], 12)]
    body = order_sales.sale_body(order_of(transfer, lines), customer_id=9)
    assert body["completed"] is False
    assert (body["referenceNumber"], body["referenceNumberSource"]) == ("MIINTO-700001", "Miinto")
    assert (body["shopID"], body["registerID"], body["employeeID"], body["customerID"]) == (1, 3, 2, 9)
    assert body["SaleLines"]["SaleLine"][0] == {"itemID": 11, "unitQuantity": 2, "unitPrice": "499.50"}
    ship = body["ShipTo"]
    assert (ship["firstName"], ship["lastName"]) == ("Anna", "Jensen")
    assert ship["Contact"]["Addresses"]["ContactAddress"]["address1"] == "Vestergade 3"  # the delivery address


def test_bad_positions_are_kept_with_a_problem():
    raw = raw_transfer(pendingPositions=[
        {"id": 1, "quantity": 0, "price": 100, "item": {"gtin": "1"}},
        {"id": 2, "quantity": 1, "price": "abc", "item": {"gtin": "2"}},
        {"id": 3, "quantity": 1, "price": 100, "item": {}},
        {"id": 4, "quantity": 1, "price": 100, "item": {"gtin": "4"}},
    ])
    positions = mapping.transfer_parse(raw).positions
    assert "quantity 0" in positions[0].problem
    assert "price 'abc'" in positions[1].problem
    assert positions[2].problem == "has no gtin"
    assert positions[3].problem == "" and positions[3].quantity == 1


@pytest.mark.parametrize("raw, message", [
    ({"pendingPositions": []}, "without an id"),
    ({"id": 5}, "pendingPositions is missing"),
    ({"id": 5, "pendingPositions": [{"quantity": 1}]}, "no integer id"),
    ("not a dict", "without an id"),
])
def test_malformed_transfers_raise_a_record_error(raw, message):
    with pytest.raises(mapping.MalformedTransfer, match=message):
        mapping.transfer_parse(raw)


def test_missing_customer_fields_are_named():
    billing = {"name": "Lars", "address": {"city": "Oslo"}}
    assert mapping.customer_missing_fields(billing) == ["email", "phone", "street", "postcode", "countryCode"]
