"""Predict a request's cost in drips from the documented cost table (2026 model).

The prediction lets the limiter wait *before* a request would overflow the bucket; the
`X-LS-Api-Request-Cost` header of the response is what was really charged.
"""
import json
import re

# Relations that hold many rows; every other relation is X-to-one.
TO_MANY = {
    "ItemShops", "Images", "ItemVendorNums", "ItemComponents", "TagRelations", "CustomFieldValues", "ItemPrices",
    "Prices", "SaleLines", "SalePayments", "SaleNotes", "Registers", "ShelfLocations", "Items", "Phones", "Emails",
    "Addresses", "Websites", "Tags", "EmployeeRights", "TaxCategoryClasses", "Signatures", "SaleAccounts",
    "SalesAccounts", "InventorySales", "WorkorderLines", "WorkorderItems", "Discounts",
}
CONTAINERS = {"SaleLines", "SalePayments", "ItemShops", "Phones", "Emails", "Addresses", "Websites", "Prices",
              "SaleNotes"}
TO_ONE_COST = 0.1
TO_MANY_COST = 0.2
COUNT_COST = 10.0
SALE_WRITE_BASE = 2.0
SALE_COMPLETE_EXTRA = 3.0
NESTED_ENTITY_COST = 0.5
EXPENSIVE_WRITES = {"Category": 10.0, "refund": 10.0}  # POST/PUT Category; POST Sale/{id}/refund
SALE_RESOURCES = {"Sale", "SaleLine"}
ALL_RELATIONS_GUESS = 3.0  # load_relations=all: "sum of all available relations"; we never use it

_ID_PATH = re.compile(r"/\d+(\.json)?$")


def relations_cost(relations, *, is_list):
    total = 0.0
    for name in relations:
        parts = name.split(".")
        cost = TO_MANY_COST if parts[-1] in TO_MANY else TO_ONE_COST
        if is_list or any(p in TO_MANY for p in parts[:-1]):
            cost *= 2
        total += cost
    return total


def parse_relations(value):
    if not value:
        return []
    if value == "all":
        return None
    try:
        parsed = json.loads(value)
    except ValueError:
        return [value]
    return parsed if isinstance(parsed, list) else [str(parsed)]


def resource_of(path):
    """`/API/V3/Account/1/Sale/5/SaleLine.json` → ("SaleLine", is_list=True)."""
    tail = path.split("/Account/", 1)[-1]
    parts = [p.removesuffix(".json") for p in tail.split("/")[1:] if p]
    if not parts:
        return "Account", False
    is_list = not parts[-1].isdigit()
    names = [p for p in parts if not p.isdigit()]
    return (names[-1] if names else "Account"), is_list


def nested_entities(body):
    """Objects nested in a write payload (each SaleLine, SalePayment, Contact, ContactEmail…);
    pure containers such as `SaleLines` or `Emails` are not entities themselves."""
    count = 0
    for key, value in (body or {}).items():
        for child in value if isinstance(value, list) else [value]:
            if isinstance(child, dict):
                count += (0 if key in CONTAINERS else 1) + nested_entities(child)
    return count


def request_cost(method, path, params=None, body=None):
    method = method.upper()
    params = params or {}
    resource, is_list = resource_of(path)
    if method == "GET" and str(params.get("count", "")) == "1":
        return COUNT_COST
    if method in ("POST", "PUT", "DELETE") and resource in SALE_RESOURCES:
        cost = SALE_WRITE_BASE
        if isinstance(body, dict) and str(body.get("completed", "")).lower() == "true":
            cost += SALE_COMPLETE_EXTRA
    elif method in ("POST", "PUT") and resource in EXPENSIVE_WRITES:
        cost = EXPENSIVE_WRITES[resource]
    else:
        cost = 1.0
    if method in ("POST", "PUT") and isinstance(body, dict):
        cost += NESTED_ENTITY_COST * nested_entities(body)
    relations = parse_relations(params.get("load_relations"))
    cost += ALL_RELATIONS_GUESS if relations is None else relations_cost(relations, is_list=is_list)
    return round(cost, 4)
