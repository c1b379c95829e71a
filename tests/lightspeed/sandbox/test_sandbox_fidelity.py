"""Where recorded responses of the real API showed the sandbox was too kind: money rounding, tax from the
TaxCategory, line costs, attribute sets and the relations the real API serves."""
import json

import pytest

from lightspeed.sandbox.render import money

SALE = {"employeeID": 1, "shopID": 1, "registerID": 1}


def one_line(price, **extra):
    return {**SALE, **extra, "SaleLines": {"SaleLine": {"itemID": 5, "unitQuantity": 1, "unitPrice": price}}}


def test_sale_money_is_rounded_to_cents_while_lines_keep_four_decimals(api):
    sale = api.post("Sale.json", one_line("15.2055")).json()["Sale"]
    line = sale["SaleLines"]["SaleLine"]
    assert line["calcTotal"] == "15.2055" and line["calcSubtotal"] == "15.2055"
    for key in ("total", "calcTotal", "calcSubtotal", "balance"):
        assert sale[key] == "15.21", key
    assert sale["calcTax1"] == "0" and sale["taxTotal"] == "0" and sale["calcPayments"] == "0"


def test_paying_the_rounded_total_completes_a_taxed_sale(api):
    sale = api.post("Sale.json", one_line("1.0806", taxCategoryID=1)).json()["Sale"]
    line = sale["SaleLines"]["SaleLine"]
    assert line["calcTax1"] == "0.2702" and line["calcTotal"] == "1.3508"
    assert (sale["calcSubtotal"], sale["calcTax1"], sale["taxTotal"], sale["total"]) == ("1.08", "0.27", "0.27", "1.35")
    paid = api.put(f"Sale/{sale['saleID']}.json", {"completed": True, "SalePayments": {"SalePayment": {
        "amount": "1.35", "paymentTypeID": 2}}})
    assert paid.status_code == 200, paid.text
    done = paid.json()["Sale"]
    assert done["completed"] == "true" and done["calcPayments"] == "1.35" and done["balance"] == "0"


def test_a_cent_short_is_still_refused(api):
    sale = api.post("Sale.json", one_line("15.2055")).json()["Sale"]
    short = api.put(f"Sale/{sale['saleID']}.json", {"completed": True, "SalePayments": {"SalePayment": {
        "amount": "15.20", "paymentTypeID": 2}}})
    assert short.status_code == 400 and "(15.21)" in short.json()["message"]


def test_tax_comes_from_the_tax_category_and_category_zero_means_none(api):
    taxed = api.post("Sale.json", one_line("10", taxCategoryID=2)).json()["Sale"]
    assert taxed["calcTax1"] == "1.2" and taxed["total"] == "11.2" and taxed["taxCategoryID"] == "2"
    assert taxed["TaxCategory"]["tax1Rate"] == "0.12"
    untaxed = api.post("Sale.json", one_line("10", taxCategoryID=0, tax1Rate="0.25")).json()["Sale"]
    assert untaxed["calcTax1"] == "0" and untaxed["total"] == "10"
    assert api.post("Sale.json", one_line("10", taxCategoryID=99)).status_code == 400


def test_line_costs_come_from_the_item(api, sb):
    cost = sb.state.items[5].default_cost
    sale = api.post("Sale.json", {**SALE, "SaleLines": {"SaleLine": {"itemID": 5, "unitQuantity": 3}}}).json()["Sale"]
    line = sale["SaleLines"]["SaleLine"]
    assert cost and line["avgCost"] == line["fifoCost"] == money(cost)
    assert sale["calcAvgCost"] == money(cost * 3)


def test_attribute_sets_are_named_as_the_real_api_names_them(api):
    sets = {s["name"]: s for s in api.get("ItemAttributeSet.json").json()["ItemAttributeSet"]}
    assert (sets["Size"]["attributeName1"], sets["Size"]["attributeName2"]) == ("", "Size")
    assert [sets["3 Attributes"][f"attributeName{n}"] for n in (1, 2, 3)] == ["Attribute 1", "Attribute 2",
                                                                               "Attribute 3"]


def test_a_size_only_matrix_puts_the_size_in_attribute2(api, sb):
    matrix = next(iter(sb.state.item_matrices.values()))
    matrix.item_attribute_set_id = 2
    sb.state.touch()
    variant = sb.state.items_by_matrix[matrix.item_matrix_id][0]
    item = api.get(f"Item/{variant}.json", load_relations=json.dumps(["ItemAttributes"])).json()["Item"]
    assert item["ItemAttributes"] == {"itemAttributeSetID": "2", "attribute1": "",
                                      "attribute2": sb.state.items[variant].size, "attribute3": ""}
    rendered = api.get(f"ItemMatrix/{matrix.item_matrix_id}.json").json()["ItemMatrix"]
    assert rendered["attribute1Values"] == ""


@pytest.mark.parametrize("path, relations", [
    ("Shop/1.json", ["Contact", "TaxCategory", "ReceiptSetup", "CCGateway"]),
    ("Employee/1.json", ["Contact", "EmployeeRole", "EmployeeRole.EmployeeRights"]),
    ("ItemMatrix/1.json", ["ItemAttributeSet", "TaxClass"]),
    ("Item/1.json", ["TaxClass"]),
    ("Customer/1.json", ["Note", "CreditAccount", "Tags"]),
])
def test_relations_the_real_api_serves_answer_200_and_are_rendered(api, path, relations):
    response = api.get(path, load_relations=json.dumps(relations))
    assert response.status_code == 200, response.text
    record = next(v for k, v in response.json().items() if k != "@attributes")
    for name in relations:
        head, _, tail = name.partition(".")
        assert head in record, name
        if tail:
            assert tail in record[head], name


def test_the_connected_employee_role_carries_its_rights(api):
    relations = json.dumps(["EmployeeRole", "EmployeeRole.EmployeeRights"])
    admin = api.get("Employee/1.json", load_relations=relations).json()["Employee"]["EmployeeRole"]
    seller = api.get("Employee/2.json", load_relations=relations).json()["Employee"]["EmployeeRole"]
    assert admin["name"] == "Admin" and seller["name"] != "Admin"
    assert "admin" in [r["name"] for r in admin["EmployeeRights"]["EmployeeRight"]]
    assert "admin" not in [r["name"] for r in seller["EmployeeRights"]["EmployeeRight"]]


def test_shop_tax_category_is_the_default_of_its_sales(api, sb):
    sb.state.shops[1].tax_category_id = 1
    shop = api.get("Shop/1.json", load_relations=json.dumps(["TaxCategory"])).json()["Shop"]
    assert shop["TaxCategory"]["tax1Rate"] == "0.25"
    sale = api.post("Sale.json", one_line("10")).json()["Sale"]
    assert sale["taxCategoryID"] == "1" and sale["total"] == "12.5"

