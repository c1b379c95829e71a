from lightspeed.costs import request_cost

ITEMS = "/API/V3/Account/1/Item.json"


def test_list_relations_are_doubled():
    assert request_cost("GET", ITEMS, {"load_relations": '["ItemShops","ItemAttributes","Note"]'}) == 1.8
    assert request_cost("GET", "/API/V3/Account/1/Item/5.json", {"load_relations": '["ItemShops"]'}) == 1.2


def test_nested_under_to_many_is_doubled_on_a_single_record():
    assert request_cost("GET", "/API/V3/Account/1/Sale/5.json", {"load_relations": '["SaleLines.Item"]'}) == 1.2


def test_count_costs_ten():
    assert request_cost("GET", ITEMS, {"count": "1"}) == 10


def test_sale_writes():
    body = {"completed": True, "SaleLines": {"SaleLine": [{"itemID": 1}, {"itemID": 2}]},
            "SalePayments": {"SalePayment": {"amount": "1", "paymentTypeID": 1}}}
    assert request_cost("POST", "/API/V3/Account/1/Sale.json", {}, body) == 2 + 3 + 1.5
    assert request_cost("POST", "/API/V3/Account/1/Sale.json", {}, {"shopID": 1}) == 2
    assert request_cost("PUT", "/API/V3/Account/1/Category/3.json", {}, {"name": "x"}) == 10
