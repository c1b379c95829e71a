"""Small functions per use of the Lightspeed API. Each loads only the relations it needs.

Filters use the documented operators: `timeStamp=>=,<iso>`; sorting by timeStamp makes a
row that changes during pagination move behind the cursor, where it is read again.
"""
import json
from datetime import timedelta

from connector.http import Transient

from .records import (as_list, customer_record, to_int, format_datetime, item_record, item_shop_record,  # noqa: F401
                      sale_record)

ITEM_RELATIONS_FULL = ["ItemShops", "ItemAttributes", "Note"]
ITEM_RELATIONS_INCREMENTAL = ["ItemAttributes", "Note"]
SALE_RELATIONS = ["SaleLines", "SalePayments"]


def relations(names):
    return json.dumps(names, separators=(",", ":"))


def since_filter(since):
    return f">=,{format_datetime(since)}"


def _changed_since(since, extra=None):
    params = {"sort": "timeStamp", **(extra or {})}
    if since is not None:
        params["timeStamp"] = since_filter(since)
    return params


def items_changed_since(client, since=None, *, with_stock=False):
    """Items (archived too) changed at or after `since` (all when None), as ItemRecords."""
    names = ITEM_RELATIONS_FULL if with_stock else ITEM_RELATIONS_INCREMENTAL
    params = _changed_since(since, {"archived": "true", "load_relations": relations(names)})
    return (item_record(raw) for raw in client.iterate("Item", params))


def item_shops_changed_since(client, since=None):
    """Stock rows (ItemShop, shop 0 included) changed at or after `since`; Item.timeStamp does not move for these."""
    return (item_shop_record(raw) for raw in client.iterate("ItemShop", _changed_since(since)))


def _all(client, resource, *, with_archived=True):
    return list(client.iterate(resource, {"archived": "true"} if with_archived else {}))


def shops(client):
    return _all(client, "Shop")


def registers(client):
    return _all(client, "Register")


def employees(client):
    """With the EmployeeRole relation: its name says whether an employee is an Admin or a Manager."""
    return list(client.iterate("Employee", {"archived": "true", "load_relations": relations(["EmployeeRole"])}))


def session_employee_id(client):
    """The employee whose login the token acts for: GET /API/V3/Session.json (INFERENCE, see the docs)."""
    from .client import API_ROOT

    return to_int(client.get(f"{API_ROOT}/Session.json").get("employeeID")) or None


def price_levels(client):
    return _all(client, "PriceLevel")


def payment_types(client):
    return _all(client, "PaymentType")


def categories(client):
    return _all(client, "Category", with_archived=False)


def manufacturers(client):
    return _all(client, "Manufacturer", with_archived=False)


def item_attribute_sets(client):
    return _all(client, "ItemAttributeSet")


def customer_find(client, *, email):
    """The first customer whose contact has this email, or None."""
    params = {"load_relations": relations(["Contact"]), "Contact.email": email, "limit": 1}
    rows = as_list(client.get("Customer", params).get("Customer"))
    return customer_record(rows[0]) if rows else None


def customer_create(client, body):
    return customer_record(as_list(client.post("Customer", body).get("Customer"))[0])


def sale_get(client, sale_id, *, relations_=SALE_RELATIONS):
    data = client.get(f"Sale/{int(sale_id)}", {"load_relations": relations(relations_)})
    return sale_record(as_list(data.get("Sale"))[0])


def sale_find_by_reference(client, reference, *, source=None):
    """The sale tagged with this referenceNumber (and source), or None. Lightspeed has no idempotency key."""
    params = {"referenceNumber": reference, "load_relations": relations(SALE_RELATIONS), "archived": "true"}
    for raw in as_list(client.get("Sale", params).get("Sale")):
        if source is None or raw.get("referenceNumberSource") == source:
            return sale_record(raw)
    return None


def sales_by_reference(client, reference):
    """Every sale (archived and voided too) tagged with this referenceNumber, whoever made it."""
    params = {"referenceNumber": reference, "archived": "true", "sort": "saleID"}
    return [sale_record(raw) for raw in client.iterate("Sale", params)]


def sale_archive(client, sale_id):
    """DELETE archives an open sale (a completed sale cannot be archived: 400)."""
    return sale_record(as_list(client.request_json("DELETE", client.url_for(f"Sale/{int(sale_id)}")).get("Sale"))[0])


def payment_type_find(client, *, name):
    for raw in as_list(client.get("PaymentType", {"name": name, "archived": "false"}).get("PaymentType")):
        if str(raw.get("name") or "").strip().lower() == name.strip().lower():
            return raw
    return None


def payment_type_create(client, *, name):
    """API-created payment types come back as type "user defined" whatever is sent."""
    body = {"name": name, "requireCustomer": False, "type": "user defined"}
    return as_list(client.post("PaymentType", body).get("PaymentType"))[0]


def item_find_by_custom_sku(client, custom_sku):
    rows = as_list(client.get("Item", {"customSku": custom_sku, "archived": "false"}).get("Item"))
    return item_record(rows[0]) if rows else None


def item_create(client, body):
    return item_record(as_list(client.post("Item", body).get("Item"))[0])


def sale_create(client, body):
    """POST once, never retried: a lost answer may hide a created sale (use sale_create_once)."""
    return sale_record(as_list(client.post("Sale", body).get("Sale"))[0])


def sale_create_once(client, body):
    """Create the sale unless one with its referenceNumber exists; after a lost answer, look it up.

    Returns (sale, created). Raises the transient error if the sale is not found after it.
    """
    reference = body["referenceNumber"]
    source = body.get("referenceNumberSource")
    existing = sale_find_by_reference(client, reference, source=source)
    if existing is not None:
        return existing, False
    try:
        return sale_create(client, body), True
    except Transient:
        found = sale_find_by_reference(client, reference, source=source)
        if found is None:
            raise
        return found, True


def sales_changed_since(client, since, *, field="timeStamp", relations_=SALE_RELATIONS, overlap=timedelta(0)):
    """Sales whose `field` (timeStamp, updatetime or completeTime) is at or after `since − overlap`, oldest
    first. With an overlap the caller de-duplicates on saleID (a sale changed in the cursor's second)."""
    params = {"sort": field, field: since_filter(since - overlap), "load_relations": relations(relations_),
              "archived": "true"}
    return (sale_record(raw) for raw in client.iterate("Sale", params))


def item_stock_set(client, item_id, *, shop_id, qoh):
    """Set an absolute quantity on hand (safe to retry: it is not a delta)."""
    body = {"ItemShops": {"ItemShop": {"shopID": int(shop_id), "qoh": int(qoh)}}}
    return item_record(as_list(client.put(f"Item/{int(item_id)}", body, retry=True).get("Item"))[0])


def items_by_ids(client, item_ids):
    """Up to 100 items by id (archived too), with their stock."""
    ids = ",".join(str(int(i)) for i in item_ids)
    params = {"itemID": f"IN,[{ids}]", "archived": "true", "load_relations": relations(ITEM_RELATIONS_FULL)}
    return (item_record(raw) for raw in client.iterate("Item", params))
