from datetime import datetime, timezone
from decimal import Decimal

from lightspeed.records import as_list, customer_record, item_record, nested, sale_record, to_datetime


def test_as_list_handles_the_envelope_shapes():
    assert as_list("") == []
    assert as_list(None) == []
    assert as_list({"itemID": "1"}) == [{"itemID": "1"}]
    assert as_list([{"itemID": "1"}, {"itemID": "2"}]) == [{"itemID": "1"}, {"itemID": "2"}]


def test_item_with_one_row_nested_relations_and_string_scalars():
    raw = {
        "itemID": "47", "systemSku": "210000000047", "customSku": "12341234", "manufacturerSku": "", "ean": "",
        "upc": "012345678905", "description": 'Samsung 40 " tv', "archived": "false",
        "timeStamp": "2021-03-30T19:38:07+00:00", "categoryID": "3", "manufacturerID": "0", "itemMatrixID": "0",
        "ItemShops": {"ItemShop": {"itemShopID": "163", "qoh": "-2", "timeStamp": "2021-03-30T19:38:07+00:00",
                                   "itemID": "47", "shopID": "1"}},
        "Prices": {"ItemPrice": {"amount": "400.10", "useTypeID": "1", "useType": "Default"}},
        "Note": {"note": "fragile", "isPublic": "false"},
        "ItemAttributes": {"itemAttributeSetID": "1", "attribute1": "White", "attribute2": "Small", "attribute3": ""},
    }
    item = item_record(raw)
    assert item.item_id == 47 and item.category_id == 3 and item.archived is False
    assert item.prices == {1: Decimal("400.10")}
    assert [(s.item_shop_id, s.shop_id, s.qoh) for s in item.shops] == [(163, 1, -2)]
    assert item.timestamp == datetime(2021, 3, 30, 19, 38, 7, tzinfo=timezone.utc)
    assert item.note == "fragile" and item.attributes == ("White", "Small", "")


def test_empty_relations_come_as_empty_strings():
    item = item_record({"itemID": "1", "ItemShops": "", "Prices": "", "Note": "", "ItemAttributes": ""})
    assert item.shops == [] and item.prices == {} and item.note == "" and item.attributes == ("", "", "")
    customer = customer_record({"customerID": "9", "Contact": {"Emails": ""}})
    assert customer.emails == []


def test_sale_lines_as_list_or_object():
    one = sale_record({"saleID": "277", "completed": "true", "total": "34.48",
                       "SaleLines": {"SaleLine": {"saleLineID": "269", "itemID": "12", "unitQuantity": "1",
                                                  "unitPrice": "9.99"}},
                       "SalePayments": {"SalePayment": {"amount": "34.48", "paymentTypeID": "1"}}})
    many = sale_record({"saleID": "278", "SaleLines": {"SaleLine": [{"saleLineID": "1"}, {"saleLineID": "2"}]}})
    assert one.completed and one.total == Decimal("34.48") and one.lines[0]["unit_price"] == Decimal("9.99")
    assert one.payments == [{"payment_type_id": 1, "amount": Decimal("34.48")}]
    assert [line["sale_line_id"] for line in many.lines] == [1, 2]


def test_timestamps_are_aware_utc():
    assert to_datetime("2016-11-01T00:00:00-04:00") == datetime(2016, 11, 1, 4, tzinfo=timezone.utc)
    assert to_datetime("") is None
    assert nested({"Phones": ""}, "Phones", "ContactPhone") == []
