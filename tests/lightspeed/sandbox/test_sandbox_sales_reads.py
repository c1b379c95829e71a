"""What the sales mirror reads, served as the docs say: Sale filters on timeStamp/updatetime/completeTime with
range operators, sort, nested relations (payment type, customer and ship-to contacts), costs, and refunds."""
from decimal import Decimal

RELATIONS = ('["SaleLines","SalePayments","SalePayments.PaymentType","Customer","Customer.Contact","ShipTo",'
             '"ShipTo.Contact"]')
SHIP_TO = {"firstName": "Ida", "lastName": "Holm", "shipNote": "GLS-1", "Contact": {
    "Addresses": {"ContactAddress": {"address1": "Nørregade 7", "city": "Odense", "zip": "5000", "countryCode": "DK"}}}}


def stamp(sb):
    from lightspeed.sandbox.envelope import fmt_time

    return fmt_time(sb.timestamp())


def completed(api, sb, *, customer_id=2, quantity=2, ship_to=None):
    item_id = sorted(sb.state.items)[0]
    body = {"employeeID": 1, "registerID": 1, "shopID": 1, "customerID": customer_id,
            "SaleLines": {"SaleLine": {"itemID": item_id, "unitQuantity": quantity, "unitPrice": "5.00"}}}
    if ship_to:
        body["ShipTo"] = ship_to
    sale = api.post("Sale.json", body).json()["Sale"]
    paid = api.put(f"Sale/{sale['saleID']}.json", {"completed": True, "SalePayments": {"SalePayment": {
        "paymentTypeID": 2, "amount": sale["total"]}}})
    assert paid.status_code == 200, paid.text
    return paid.json()["Sale"]


def test_sales_changed_after_a_time_by_each_documented_field(api, sb, fake_clock):
    before = completed(api, sb)
    fake_clock.advance(10)
    since = stamp(sb)
    fake_clock.advance(10)
    after = completed(api, sb)
    for name in ("timeStamp", "updatetime", "completeTime"):
        body = api.get("Sale.json", **{name: f">,{since}", "sort": name, "archived": "true"}).json()
        assert body["Sale"]["saleID"] == after["saleID"], name  # one row: a bare object
        assert before["saleID"] != after["saleID"]
    none = api.get("Sale.json", timeStamp=f">,{stamp(sb)}").json()
    assert "Sale" not in none and none["@attributes"] == {"next": "", "previous": ""}


def test_a_voided_sale_moves_its_timestamp_and_archived_ones_need_archived_true(api, sb, fake_clock):
    sale = completed(api, sb)
    open_sale = api.post("Sale.json", {"employeeID": 1, "registerID": 1, "shopID": 1}).json()["Sale"]
    fake_clock.advance(30)
    since = stamp(sb)
    sb.void_sale(int(sale["saleID"]))
    assert api.delete(f"Sale/{open_sale['saleID']}.json").status_code == 200
    default = api.get("Sale.json", timeStamp=f">=,{since}").json()
    assert default["Sale"]["saleID"] == sale["saleID"] and default["Sale"]["voided"] == "true"
    both = api.get("Sale.json", timeStamp=f">=,{since}", archived="true", sort="-timeStamp").json()["Sale"]
    assert {s["saleID"] for s in both} == {sale["saleID"], open_sale["saleID"]}


def test_nested_relations_the_mirror_loads_and_their_cost(api, sb):
    sale = completed(api, sb, customer_id=4, ship_to=SHIP_TO)
    response = api.get("Sale.json", saleID=f"IN,[{sale['saleID']}]", load_relations=RELATIONS, archived="true")
    assert response.headers["X-LS-Api-Request-Cost"] == "2.8"  # 1 + 2×(0.2+0.2) + 5×2×0.1 on a list
    body = response.json()["Sale"]
    payment = body["SalePayments"]["SalePayment"]
    assert payment["PaymentType"]["name"] == "Credit Card" and payment["amount"] == "10"
    assert body["Customer"]["customerID"] == "4" and "Emails" in body["Customer"]["Contact"]
    ship_to = body["ShipTo"]
    assert ship_to["shipNote"] == "GLS-1" and ship_to["Contact"]["Addresses"]["ContactAddress"]["city"] == "Odense"
    assert body["SaleLines"]["SaleLine"]["parentSaleLineID"] == "0"
    probe = api.get("Sale.json", timeStamp=">=,2000-01-01T00:00:00+00:00", sort="timeStamp", archived="true")
    assert probe.headers["X-LS-Api-Request-Cost"] == "1" and "SaleLines" not in probe.json()["Sale"]


def test_refund_endpoint_makes_a_completed_negative_sale_once(api, sb):
    sale = completed(api, sb, quantity=3)
    item_id = sorted(sb.state.items)[0]
    qoh_before = sum(s.qoh for s in sb.state.item_shops_by_item[item_id] if s.shop_id == 1)
    response = api.post(f"Sale/{sale['saleID']}/refund.json", {
        "employeeID": 1, "registerID": 1, "shopID": 1, "SalePayments": {"SalePayment": {"paymentTypeID": 1}}})
    assert response.status_code == 200, response.text
    assert response.headers["X-LS-Api-Request-Cost"] == "10.5"  # base 10, +0.5 for the nested SalePayment
    refund = response.json()["Sale"]
    line = refund["SaleLines"]["SaleLine"]
    assert refund["completed"] == "true" and Decimal(refund["total"]) == Decimal("-15")
    assert line["unitQuantity"] == "-3" and line["parentSaleLineID"] == sale["SaleLines"]["SaleLine"]["saleLineID"]
    assert refund["SalePayments"]["SalePayment"]["amount"] == "-15"
    assert sum(s.qoh for s in sb.state.item_shops_by_item[item_id] if s.shop_id == 1) == qoh_before + 3
    again = api.post(f"Sale/{sale['saleID']}/refund.json", {"employeeID": 1, "registerID": 1, "shopID": 1,
                                                          "SalePayments": {"SalePayment": {"paymentTypeID": 1}}})
    assert again.status_code == 400 and "left to refund" in again.json()["message"].lower()


def test_partial_refund_lines_are_checked_against_the_sold_line(api, sb):
    sale = completed(api, sb, quantity=2)
    sold_line = sale["SaleLines"]["SaleLine"]

    def refund(quantity, parent=sold_line["saleLineID"]):
        return api.post("Sale.json", {"employeeID": 1, "registerID": 1, "shopID": 1, "SaleLines": {"SaleLine": {
            "itemID": sold_line["itemID"], "unitQuantity": quantity, "unitPrice": "5.00", "parentSaleLineID": parent}}})

    assert refund(-3).status_code == 400  # more than was sold
    assert refund(1).status_code == 400  # a refund line is negative
    assert refund(-1, parent=999999).status_code == 400
    ok = refund(-1)
    assert ok.status_code == 200, ok.text
    assert ok.json()["Sale"]["SaleLines"]["SaleLine"]["parentSaleLineID"] == sold_line["saleLineID"]


def test_an_open_sale_cannot_be_refunded(api):
    open_sale = api.post("Sale.json", {"employeeID": 1, "registerID": 1, "shopID": 1}).json()["Sale"]
    cash_back = {"SalePayments": {"SalePayment": {"paymentTypeID": 1}}}
    response = api.post(f"Sale/{open_sale['saleID']}/refund.json", cash_back)
    assert response.status_code == 400
