"""The sandbox's writes for the next channels, as raw HTTP: PaymentType, Item prices, Quote, refund, ShipTo."""
from decimal import Decimal



def test_payment_type_post_put_delete(api, sb):
    created = api.post("PaymentType.json", {"name": "Webshop", "type": "cash", "requireCustomer": True})
    assert created.status_code == 200
    body = created.json()
    assert body["@attributes"] == {"count": "1"}
    assert body["PaymentType"]["type"] == "user defined" and body["PaymentType"]["requireCustomer"] == "true"
    type_id = body["PaymentType"]["paymentTypeID"]
    assert isinstance(type_id, str)
    renamed = api.put(f"PaymentType/{type_id}.json", {"name": "Web shop", "type": "cash"}).json()["PaymentType"]
    assert renamed["name"] == "Web shop" and renamed["type"] == "user defined"
    archived = api.delete(f"PaymentType/{type_id}.json").json()["PaymentType"]
    assert archived["archived"] == "true"
    one = api.get("PaymentType.json", name="Cash").json()
    assert isinstance(one["PaymentType"], dict)  # one row: a bare object


def test_validation_errors_use_the_envelope_with_the_recorded_content_type(api):
    refused = api.put("PaymentType/2.json", {"name": "Card"})
    assert refused.status_code == 400
    assert refused.headers["content-type"] == "text/html; charset=UTF-8"
    assert refused.json()["httpCode"] == "400" and "reserved" in refused.json()["message"]
    blank = api.post("PaymentType.json", {"name": ""}).json()
    assert blank["message"] == "PaymentType not created. name cannot be blank."


def test_item_put_prices_by_level_name_and_id(api, sb):
    item = api.put("Item/3.json", {"Prices": {"ItemPrice": [{"amount": "19.99", "useType": "Online"},
                                                            {"amount": 25, "useTypeID": 2}]},
                                   "defaultCost": "7.5"}).json()["Item"]
    prices = {p["useType"]: p["amount"] for p in item["Prices"]["ItemPrice"]}
    assert prices["Online"] == "19.99" and prices["MSRP"] == "25" and item["defaultCost"] == "7.5"
    assert api.put("Item/3.json", {"Prices": {"ItemPrice": {"amount": "-1", "useTypeID": 1}}}).status_code == 400
    assert api.put("Item/3.json", {"categoryID": 999999}).status_code == 400
    before = len(sb.state.items)
    assert api.post("Item.json", {"description": "x", "manufacturerID": 999999}).status_code == 400
    assert len(sb.state.items) == before


def test_quote_crud_and_the_sale_relation(api, sb):
    sale = api.post("Sale.json", {"employeeID": 1, "shopID": 1, "registerID": 1}).json()["Sale"]
    quote = api.post("Quote.json", {"saleID": sale["saleID"], "notes": "n"}).json()["Quote"]
    assert set(quote) == {"quoteID", "issueDate", "notes", "archived", "employeeID", "saleID"}
    with_quote = api.get(f"Sale/{sale['saleID']}.json", load_relations='["Quote"]').json()["Sale"]
    assert with_quote["quoteID"] == quote["quoteID"] and with_quote["Quote"]["notes"] == "n"
    listed = api.get("Quote.json").json()
    assert isinstance(listed["Quote"], dict)
    assert api.get("Quote.json", sort="notes").status_code == 400  # only quoteID sorts
    api.delete(f"Quote/{quote['quoteID']}.json")
    assert "Quote" not in api.get("Quote.json").json()


def test_refund_costs_ten_and_get_is_not_allowed(api, sb):
    sale = api.post("Sale.json", {"employeeID": 1, "shopID": 1, "registerID": 1, "completed": True,
                                  "SaleLines": {"SaleLine": {"itemID": 4, "unitQuantity": 1, "unitPrice": "5"}},
                                  "SalePayments": {"SalePayment": {"amount": "5", "paymentTypeID": 1}}}).json()["Sale"]
    ticket = sale["ticketNumber"]
    refund = api.post(f"Sale/{ticket}/refund.json", {"employeeID": 1, "registerID": 1, "shopID": 1,
                                                      "SalePayments": {"SalePayment": {"paymentTypeID": 1}}})
    assert refund.status_code == 200 and refund.headers["X-LS-Api-Request-Cost"] == "10.5"
    line = refund.json()["Sale"]["SaleLines"]["SaleLine"]
    assert line["unitQuantity"] == "-1" and line["parentSaleLineID"] == sale["SaleLines"]["SaleLine"]["saleLineID"]
    assert refund.json()["Sale"]["total"] == "-5"
    assert api.get(f"Sale/{sale['saleID']}/refund.json").status_code == 405


def test_ship_to_put_keeps_unsent_fields(api, sb):
    sale = api.post("Sale.json", {"employeeID": 1, "shopID": 1, "registerID": 1, "ShipTo": {
        "firstName": "Ann", "company": "Acme", "Contact": {"Phones": {"ContactPhone": {"number": "1",
                                                                                     "useType": "Home"}}}}}).json()
    sale_id = sale["Sale"]["saleID"]
    ship = api.put(f"Sale/{sale_id}.json", {"ShipTo": {"shipped": True, "shipNote": "T&T 1"}}).json()["Sale"]["ShipTo"]
    assert ship["shipped"] == "true" and ship["shipNote"] == "T&T 1" and ship["firstName"] == "Ann"
    read = api.get(f"Sale/{sale_id}.json", load_relations='["ShipTo","ShipTo.Contact"]').json()["Sale"]
    assert read["ShipTo"]["Contact"]["Phones"]["ContactPhone"]["number"] == "1"


def test_control_surface_refunds_a_completed_sale(api, sb, http):
    sale = api.post("Sale.json", {"employeeID": 1, "shopID": 1, "registerID": 1,
                                  "SaleLines": {"SaleLine": {"itemID": 4, "unitQuantity": 2, "unitPrice": "5"}}})
    sale_id = int(sale.json()["Sale"]["saleID"])
    assert http.post(f"/sandbox/sales/{sale_id}/refund").status_code >= 400  # still open: nothing to refund
    sb.complete_sale(sale_id)
    answer = http.post(f"/sandbox/sales/{sale_id}/refund").json()
    refund = sb.state.sales[int(answer["saleID"])]
    assert Decimal(answer["total"]) == Decimal("-10") and refund.completed
    assert [(line.unit_quantity, line.parent_sale_line_id) for line in refund.lines] == [
        (-2, sb.state.sales[sale_id].lines[0].sale_line_id)]
