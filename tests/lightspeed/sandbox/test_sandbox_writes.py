"""Writes: customers with contacts, sales (open, completed when balanced, completed by PUT), stock via Item."""
from decimal import Decimal

from lightspeed.sandbox.envelope import fmt_time

SALE = {"employeeID": 3, "shopID": 1, "registerID": 3}


def lines(*pairs):
    return {"SaleLine": [{"itemID": item_id, "unitQuantity": qty, "unitPrice": "10.00"} for item_id, qty in pairs]}


def qoh(sb, item_id, shop_id):
    return next(r.qoh for r in sb.state.item_shops_by_item[item_id] if r.shop_id == shop_id)


def test_customer_create_with_contact_then_find_by_email(api):
    body = {"firstName": "Jane", "lastName": "Doe", "Contact": {
        "Phones": {"ContactPhone": {"number": "360 555 2453", "useType": "Home"}},
        "Emails": {"ContactEmail": {"address": "jane@example.com", "useType": "Primary"}},
        "Addresses": {"ContactAddress": {"address1": "Main St 1", "city": "Oslo", "zip": "0150",
                                         "countryCode": "NO", "country": "Norway"}}}}
    created = api.post("Customer.json", body)
    assert created.status_code == 200
    customer = created.json()["Customer"]
    assert (customer["firstName"] == "Jane"
            and customer["Contact"]["Emails"]["ContactEmail"]["address"] == "jane@example.com")
    assert customer["Contact"]["Websites"] == ""
    found = api.get("Customer.json", **{"Contact.email": "JANE@example.com"}).json()["Customer"]
    assert found["customerID"] == customer["customerID"]
    assert api.post("Customer.json", {"Contact": {}}).status_code == 400


def test_customer_update_and_archive(api):
    customer_id = api.post("Customer.json", {"firstName": "Old"}).json()["Customer"]["customerID"]
    updated = api.put(f"Customer/{customer_id}.json", {"firstName": "New", "Contact": {
        "Emails": {"ContactEmail": [{"address": "a@x.dk", "useType": "Primary"},
                                    {"address": "b@x.dk", "useType": "Secondary"}]}}}).json()["Customer"]
    assert updated["firstName"] == "New" and len(updated["Contact"]["Emails"]["ContactEmail"]) == 2
    deleted = api.delete(f"Customer/{customer_id}.json").json()["Customer"]
    assert deleted["archived"] == "true"
    assert api.get("Customer.json", customerID=customer_id).json() == {"@attributes": {"next": "", "previous": ""}}


def test_open_sale_then_complete_with_put(api, sb):
    before = qoh(sb, 5, 1)
    sale = api.post("Sale.json", {**SALE, "referenceNumber": "M-100", "referenceNumberSource": "Miinto",
                                  "SaleLines": lines((5, 2))}).json()["Sale"]
    assert sale["completed"] == "false" and "completeTime" not in sale
    assert sale["ticketNumber"] == f"22{int(sale['saleID']):010d}" and sale["total"] == "20"
    assert isinstance(sale["SaleLines"]["SaleLine"], dict)  # one line: a bare object
    assert qoh(sb, 5, 1) == before
    short = api.put(f"Sale/{sale['saleID']}.json", {"completed": True, "SalePayments": {"SalePayment": {
        "amount": "19.99", "paymentTypeID": 5}}})
    assert short.status_code == 400 and "must equal" in short.json()["message"]
    assert sb.state.sales[int(sale["saleID"])].payments == []  # the refused PUT wrote nothing
    done = api.put(f"Sale/{sale['saleID']}.json", {"completed": True, "SalePayments": {"SalePayment": {
        "amount": "20", "paymentTypeID": 5}}}).json()["Sale"]
    assert done["completed"] == "true" and done["balance"] == "0" and done["completeTime"]
    assert qoh(sb, 5, 1) == before - 2
    again = api.put(f"Sale/{sale['saleID']}.json", {"SaleLines": lines((6, 1))})
    assert again.status_code == 400


def test_completed_sale_in_one_call_must_balance(api, sb):
    count = len(sb.state.sales)
    unbalanced = api.post("Sale.json", {**SALE, "completed": True, "SaleLines": lines((7, 1), (8, 1)),
                                        "SalePayments": {"SalePayment": {"amount": 5, "paymentTypeID": 5}}})
    assert unbalanced.status_code == 400 and len(sb.state.sales) == count
    ok = api.post("Sale.json", {**SALE, "completed": True, "SaleLines": lines((7, 1), (8, 1)),
                                "SalePayments": {"SalePayment": [{"amount": 15, "paymentTypeID": 5},
                                                                 {"amount": "5", "paymentTypeID": 2}]}})
    sale = ok.json()["Sale"]
    assert ok.status_code == 200 and sale["completed"] == "true" and sale["calcPayments"] == "20"
    assert len(sale["SalePayments"]["SalePayment"]) == 2


def test_cash_overpayment_becomes_change(api):
    sale = api.post("Sale.json", {**SALE, "completed": True, "SaleLines": lines((9, 1)),
                                  "SalePayments": {"SalePayment": {"amount": 50, "paymentTypeID": 1}}}).json()["Sale"]
    assert sale["completed"] == "true" and sale["change"] == "40" and sale["balance"] == "0"


def test_sale_requires_real_employee_shop_register(api):
    response = api.post("Sale.json", {"employeeID": 0, "shopID": 1, "registerID": 1})
    assert response.status_code == 400 and "employeeID" in response.json()["message"]


def test_ship_to_notes_and_reference_lookup(api, sb):
    body = {**SALE, "customerID": 2, "referenceNumber": "M-7", "referenceNumberSource": "Miinto",
            "SaleLines": lines((10, 1)),
            "SaleNotes": {"InternalNote": {"note": "Miinto order M-7"}, "PrintedNote": {"note": "Thanks"}},
            "ShipTo": {"firstName": "Ola", "lastName": "Nordmann", "Contact": {"Addresses": {"ContactAddress": {
                "address1": "Gate 1", "city": "Bergen", "zip": "5003", "countryCode": "NO"}}}}}
    sale = api.post("Sale.json", body).json()["Sale"]
    assert sale["shipToID"] != "0" and sale["ShipTo"]["firstName"] == "Ola"
    got = api.get("Sale.json", referenceNumber="M-7",
                  load_relations='["SaleNotes","ShipTo","ShipTo.Contact","SaleLines","Customer"]').json()["Sale"]
    assert got["SaleNotes"]["InternalNote"]["note"] == "Miinto order M-7"
    assert got["ShipTo"]["Contact"]["Addresses"]["ContactAddress"]["city"] == "Bergen"
    assert got["Customer"]["customerID"] == "2"
    ship_to = api.get(f"ShipTo/{sale['shipToID']}.json").json()["ShipTo"]
    assert ship_to["saleID"] == sale["saleID"]
    line_rows = api.get(f"Sale/{sale['saleID']}/SaleLine.json").json()["SaleLine"]
    assert line_rows["itemID"] == "10"


def test_add_line_to_open_sale_and_archive(api):
    sale_id = api.post("Sale.json", SALE).json()["Sale"]["saleID"]
    added = api.post(f"Sale/{sale_id}/SaleLine.json", {"itemID": 11, "unitQuantity": 3})
    assert added.status_code == 200 and added.json()["Sale"]["SaleLines"]["SaleLine"]["unitQuantity"] == "3"
    archived = api.delete(f"Sale/{sale_id}.json").json()["Sale"]
    assert archived["archived"] == "true"


def test_completed_sale_cannot_be_archived(api):
    sale = api.post("Sale.json", {**SALE, "completed": True, "SaleLines": lines((9, 1)),
                                  "SalePayments": {"SalePayment": {"amount": 10, "paymentTypeID": 5}}}).json()["Sale"]
    assert api.delete(f"Sale/{sale['saleID']}.json").status_code == 400


def test_completed_sales_polling_by_complete_time(api, sb, fake_clock):
    start = fmt_time(sb.now())
    open_id = api.post("Sale.json", {**SALE, "SaleLines": lines((12, 1))}).json()["Sale"]["saleID"]
    fake_clock.advance(5)
    sb.complete_sale(int(open_id))
    rows = api.get("Sale.json", completed="true", completeTime=f">=,{start}", sort="completeTime",
                   load_relations='["SaleLines","SalePayments","Customer"]').json()["Sale"]
    assert rows["saleID"] == open_id and rows["SalePayments"]["SalePayment"]["amount"] == "10"
    sb.void_sale(int(open_id))
    assert api.get(f"Sale/{open_id}.json").json()["Sale"]["voided"] == "true"


def test_put_item_shops_sets_qoh_and_moves_only_item_shop_timestamps(api, sb, fake_clock):
    item = sb.state.items[20]
    item_stamp = item.time_stamp
    shop1 = next(r for r in sb.state.item_shops_by_item[20] if r.shop_id == 1)
    fake_clock.advance(100)
    since = fmt_time(sb.now())
    response = api.put("Item/20.json", {"ItemShops": {"ItemShop": [{"itemShopID": shop1.item_shop_id, "qoh": 3},
                                                                    {"shopID": 2, "qoh": "4"}]}})
    assert response.status_code == 200
    shops = {s["shopID"]: s for s in response.json()["Item"]["ItemShops"]["ItemShop"]}
    assert shops["1"]["qoh"] == "3" and shops["2"]["qoh"] == "4" and shops["0"]["qoh"] == "7"
    assert item.time_stamp == item_stamp and response.json()["Item"]["timeStamp"] == fmt_time(item_stamp)
    changed = api.get("ItemShop.json", timeStamp=f">=,{since}", sort="timeStamp").json()["ItemShop"]
    assert {(r["itemID"], r["shopID"]) for r in changed} == {("20", "1"), ("20", "2"), ("20", "0")}
    assert api.get("Item.json", timeStamp=f">=,{since}").json() == {"@attributes": {"next": "", "previous": ""}}


def test_put_item_shops_rejects_invalid_and_duplicates(api, sb):
    shop1 = next(r for r in sb.state.item_shops_by_item[21] if r.shop_id == 1)
    duplicate = api.put("Item/21.json", {"ItemShops": {"ItemShop": [{"itemShopID": shop1.item_shop_id, "qoh": 1},
                                                                     {"shopID": 1, "qoh": 2}]}})
    assert duplicate.status_code == 400 and qoh(sb, 21, 1) == shop1.qoh
    summary = next(r for r in sb.state.item_shops_by_item[21] if r.shop_id == 0)
    assert api.put("Item/21.json", {"ItemShops": {"ItemShop": {"itemShopID": summary.item_shop_id,
                                                                "qoh": 1}}}).status_code == 400
    other = next(r for r in sb.state.item_shops_by_item[22] if r.shop_id == 1)
    assert api.put("Item/21.json", {"ItemShops": {"ItemShop": {"itemShopID": other.item_shop_id,
                                                                "qoh": 1}}}).status_code == 400


def test_delete_item_archives_and_zeroes_stock(api, sb):
    archived = api.delete("Item/23.json").json()["Item"]
    assert archived["archived"] == "true"
    assert all(r.qoh == 0 for r in sb.state.item_shops_by_item[23])


def test_control_complete_pays_balance_in_cash(api, sb):
    sale_id = int(api.post("Sale.json", {**SALE, "SaleLines": lines((13, 2))}).json()["Sale"]["saleID"])
    rendered = sb.complete_sale(sale_id)
    assert rendered["completed"] is True and rendered["balance"] == Decimal("0")
    assert any(s["saleID"] == str(sale_id) and s["completed"] == "true" for s in sb.sales())


def test_post_item_returns_item_shops_per_shop_plus_zero_and_prices(api, sb):
    created = api.post("Item.json", {"description": "New Tee", "customSku": "NEW-1", "ean": "5701234567892",
                                     "Prices": {"ItemPrice": [{"amount": "19.95", "useTypeID": 1}]}})
    item = created.json()["Item"]
    assert created.status_code == 200 and item["systemSku"] == f"21{int(item['itemID']):010d}"
    assert sorted(s["shopID"] for s in item["ItemShops"]["ItemShop"]) == ["0", "1", "2"]
    assert item["Prices"]["ItemPrice"][0] == {"amount": "19.95", "useTypeID": "1", "useType": "Default"}
    missing = api.post("Item.json", {"customSku": "X"})
    assert (missing.status_code == 400
            and missing.json()["message"] == "Item not created. An Item must have a description.")


def test_item_matrix_lists_attribute_values_and_variants(api, sb):
    matrix_id = next(m for m, ids in sb.state.items_by_matrix.items() if len(ids) >= 4)
    matrix = api.get(f"ItemMatrix/{matrix_id}.json", load_relations='["Items"]').json()["ItemMatrix"]
    variants = matrix["Items"]["Item"]
    assert {v["itemMatrixID"] for v in variants} == {str(matrix_id)}
    sizes = matrix["attribute2Values"]
    assert isinstance(sizes, list) and len(sizes) >= 2
    colors = matrix["attribute1Values"]
    assert (colors if isinstance(colors, list) else [colors]) == list(dict.fromkeys(
        sb.state.items[i].color for i in sb.state.items_by_matrix[matrix_id]))
    variant = api.get(f"Item/{variants[0]['itemID']}.json", load_relations='["ItemAttributes"]').json()["Item"]
    assert variant["ItemAttributes"]["attribute2"] in sizes


def test_write_timestamps_are_whole_seconds(api, sb, fake_clock):
    fake_clock.advance(0.75)
    sale_id = int(api.post("Sale.json", SALE).json()["Sale"]["saleID"])
    api.put("Item/30.json", {"ItemShops": {"ItemShop": {"shopID": 1, "qoh": 1}}})
    assert isinstance(sb.state.sales[sale_id].time_stamp, int)
    assert all(isinstance(r.time_stamp, int) for r in sb.state.item_shops_by_item[30])
