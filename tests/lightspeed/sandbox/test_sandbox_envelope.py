"""The envelope's quirks: strings everywhere, one-row objects, "" for empty relations, error body."""
import re

from lightspeed.sandbox.envelope import fmt_decimal

TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$")


def all_scalars(node):
    if isinstance(node, dict):
        for value in node.values():
            yield from all_scalars(value)
    elif isinstance(node, list):
        for value in node:
            yield from all_scalars(value)
    else:
        yield node


def test_every_scalar_is_a_string_and_timestamps_are_utc_without_fractions(api):
    body = api.get("Item.json", load_relations='["ItemShops","Note","ItemAttributes","Category"]').json()
    values = list(all_scalars(body))
    assert values and all(isinstance(v, str) for v in values)
    item = body["Item"][0]
    assert TIME.match(item["timeStamp"]) and TIME.match(item["createTime"])
    assert item["systemSku"] == f"21{int(item['itemID']):010d}"
    assert item["archived"] in ("true", "false")


def test_no_link_is_zero_string(api, sb):
    standalone = next(i for i in sb.state.items.values() if i.item_matrix_id == 0 and not i.archived)
    item = api.get(f"Item/{standalone.item_id}.json").json()["Item"]
    assert item["itemMatrixID"] == "0"


def test_one_row_list_is_a_bare_object_at_top_level(api, sb):
    item_id = next(i.item_id for i in sb.state.items.values() if not i.archived)
    body = api.get("Item.json", itemID=str(item_id)).json()
    assert isinstance(body["Item"], dict)
    assert body["Item"]["itemID"] == str(item_id)
    assert body["@attributes"] == {"next": "", "previous": ""}
    two = api.get("Item.json", limit="2").json()
    assert isinstance(two["Item"], list) and len(two["Item"]) == 2


def test_one_row_nested_relation_is_a_bare_object(api, sb):
    item = next(i for i in sb.state.items.values() if len(sb.state.item_shops_by_item[i.item_id]) == 3)
    for row in list(sb.state.item_shops_by_item[item.item_id]):
        if row.shop_id == 2:
            sb.state.item_shops_by_item[item.item_id].remove(row)
            del sb.state.item_shops[row.item_shop_id]
    body = api.get(f"Item/{item.item_id}.json", load_relations='["ItemShops"]').json()
    shops = body["Item"]["ItemShops"]["ItemShop"]
    assert isinstance(shops, list) and {s["shopID"] for s in shops} == {"1", "0"}
    customer = next(c for c in sb.state.customers.values() if len(c.contact.emails) == 1)
    contact = api.get(f"Customer/{customer.customer_id}.json",
                      load_relations='["Contact"]').json()["Customer"]["Contact"]
    assert isinstance(contact["Emails"]["ContactEmail"], dict)


def test_empty_relation_is_empty_string(api, sb):
    customer = next(c for c in sb.state.customers.values() if not c.contact.phones and not c.contact.websites)
    contact = api.get(f"Customer/{customer.customer_id}.json",
                      load_relations='["Contact"]').json()["Customer"]["Contact"]
    assert contact["Phones"] == "" and contact["Websites"] == ""


def test_prices_returned_by_default_and_item_shops_include_shop_zero(api, sb):
    item = api.get("Item/1.json", load_relations='["ItemShops"]').json()["Item"]
    levels = [p["useType"] for p in item["Prices"]["ItemPrice"]]
    assert levels == ["Default", "MSRP", "Online", "Wholesale"]
    shops = item["ItemShops"]["ItemShop"]
    summary = next(s for s in shops if s["shopID"] == "0")
    assert int(summary["qoh"]) == sum(int(s["qoh"]) for s in shops if s["shopID"] != "0")


def test_empty_list_has_only_attributes(api):
    body = api.get("Item.json", description="no such thing").json()
    assert body == {"@attributes": {"next": "", "previous": ""}}


def test_error_envelope_has_string_fields(api):
    response = api.get("Item/99999999.json")
    assert response.status_code == 404
    assert response.json() == {"httpCode": "404", "httpMessage": "Not Found", "errorClass": "Exception",
                               "message": "Object of type 'Item' not found with primary ID '99999999'."}
    assert "\\/" in response.text or "/" not in response.json()["message"]


def test_account_json_is_a_single_object_with_link(api, sb):
    body = api.http.get("/API/V3/Account.json", headers=api.headers()).json()
    assert body["Account"]["accountID"] == str(sb.account_id)
    assert body["Account"]["link"]["@attributes"]["href"] == f"/API/V3/Account/{sb.account_id}"


def test_decimal_formatting_is_unpadded():
    assert fmt_decimal("400.00") == "400" and fmt_decimal("11.4860025") == "11.4860025" and fmt_decimal("0.0") == "0"


def test_item_attribute_sets_are_the_system_sets(api):
    sets = api.get("ItemAttributeSet.json").json()["ItemAttributeSet"]
    assert [(s["itemAttributeSetID"], s["name"]) for s in sets] == [
        ("1", "Color/Size"), ("2", "Size"), ("3", "Color"), ("4", "3 Attributes")]
    assert sets[0]["attributeName1"] == "Color" and sets[0]["attributeName2"] == "Size"
