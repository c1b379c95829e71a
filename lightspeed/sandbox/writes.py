"""POST/PUT/DELETE under /API/V3/Account/{id}/: Category, Customer, Sale (+ Sale/{id}/SaleLine, Sale/{id}/refund),
Item, PaymentType, Quote."""
import json

from . import categories, payment_types, quotes, refunds, sales
from .item_fields import catalog_changes, check_references, price_cents
from .contacts import contact_from_payload
from .envelope import ApiError
from .records import Customer, Item
from .resources import RESOURCES
from .stock import item_shop_for, item_shop_update, set_qoh
from .values import as_bool, as_decimal, as_dict, as_int, rows

SALE_RESPONSE_RELATIONS = {"SaleLines", "SalePayments", "Customer", "Shop", "TaxCategory", "ShipTo", "SaleNotes"}


def handle(sb, request, route):
    payload = {}
    if request.method in ("POST", "PUT"):
        try:
            payload = as_dict(json.loads(request.get_data(as_text=True) or "{}"), route.resource.name)
        except ValueError:
            raise ApiError(400, "Invalid JSON in request body.") from None
    name, method = route.resource.name, request.method
    handler = WRITERS.get((name, method, route.record_id is not None, route.sub is not None))
    if handler is None:
        raise ApiError(405, f"{method} is not supported on {route.sub or route.resource_name} by the sandbox.")
    record, relations = handler(sb, route, payload)
    sb.state.touch(*TOUCHES[name if not route.sub else "Sale"])
    resource = RESOURCES[name if not route.sub else "Sale"]
    return {"@attributes": {"count": "1"}, resource.name: resource.rendered(sb.state, record, relations)}


def _record(sb, table, route, type_name):
    record = getattr(sb.state, table).get(route.record_id)
    if record is None:
        raise ApiError(404, f"Object of type '{type_name}' not found with primary ID '{route.record_id}'.")
    return record


CUSTOMER_FIELDS = (("firstName", "first_name"), ("lastName", "last_name"), ("company", "company"),
                   ("title", "title"), ("dob", "dob"), ("vatNumber", "vat_number"))


def customer_create(sb, route, payload):
    state, now = sb.state, sb.timestamp()
    if not any(str(payload.get(k) or "").strip() for k in ("firstName", "lastName", "company")):
        raise ApiError(400, "Customer not created. A Customer must have a first name, last name or company.")
    contact = contact_from_payload(state, payload.get("Contact"), now)
    customer = Customer(state.next_id("customers"), "", "", contact, now, now,
                        customer_type_id=as_int(payload.get("customerTypeID"), "customerTypeID"))
    _customer_fields(customer, payload)
    state.customers[customer.customer_id] = customer
    return customer, {"Contact"}


def customer_update(sb, route, payload):
    customer = _record(sb, "customers", route, "Customer")
    now = sb.timestamp()
    if "Contact" in payload:
        contact_from_payload(sb.state, payload["Contact"], now, customer.contact)
    if "archived" in payload and not as_bool(payload["archived"]):
        customer.archived = False
    _customer_fields(customer, payload)
    customer.time_stamp = now
    return customer, {"Contact"}


def _customer_fields(customer, payload):
    for key, attr in CUSTOMER_FIELDS:
        if key in payload:
            setattr(customer, attr, str(payload[key] or ""))


def customer_delete(sb, route, payload):
    customer = _record(sb, "customers", route, "Customer")
    customer.archived = True
    customer.time_stamp = sb.timestamp()
    return customer, {"Contact"}


ITEM_FIELDS = (("description", "description"), ("customSku", "custom_sku"), ("upc", "upc"), ("ean", "ean"),
               ("manufacturerSku", "manufacturer_sku"))


def item_update(sb, route, payload):
    item = _record(sb, "items", route, "Item")
    state, now = sb.state, sb.timestamp()
    if as_bool(payload.get("archived")):
        raise ApiError(400, "Item not updated. Items can only be archived with DELETE.")
    updates = _item_shop_updates(state, item, rows(payload.get("ItemShops"), "ItemShop"), now)
    if "description" in payload and not str(payload["description"] or "").strip():
        raise ApiError(400, "Item not updated. An Item must have a description.")
    catalog = catalog_changes(state, item, payload)
    for attr, value in catalog:
        setattr(item, attr, value)
    changed = bool(catalog)
    for key, attr in ITEM_FIELDS:
        if key in payload and str(payload[key] or "") != getattr(item, attr):
            setattr(item, attr, str(payload[key] or ""))
            changed = True
    if "archived" in payload and item.archived:
        item.archived, changed = False, True
    for row, qoh in updates:
        set_qoh(state, row, qoh, now)
    if changed:
        item.time_stamp = now  # ItemShop changes alone never move Item.timeStamp
    return item, {"ItemShops"}


def _item_shop_updates(state, item, entries, now):
    """Validate every ItemShop object first (invalid or duplicate ones reject the whole request)."""
    updates, seen = [], set()
    for entry in entries:
        entry = as_dict(entry, "ItemShop")
        if entry.get("itemShopID") not in (None, ""):
            row = state.item_shops.get(as_int(entry["itemShopID"], "itemShopID"))
            if row is None or row.item_id != item.item_id:
                raise ApiError(400, f"Item not updated. ItemShop {entry['itemShopID']} does not belong to this Item.")
        elif entry.get("shopID") not in (None, ""):
            shop_id = as_int(entry["shopID"], "shopID")
            if shop_id not in state.shops:
                raise ApiError(400, f"Item not updated. Shop {shop_id} does not exist.")
            row = item_shop_for(state, item.item_id, shop_id, now)
        else:
            raise ApiError(400, "Item not updated. Each ItemShop needs an itemShopID or a shopID.")
        if row.shop_id == 0:
            raise ApiError(400, "Item not updated. The shopID 0 ItemShop is a summary and cannot be set.")
        if row.item_shop_id in seen:
            raise ApiError(400, f"Item not updated. Duplicate ItemShop {row.item_shop_id}.")
        seen.add(row.item_shop_id)
        if "qoh" in entry:
            updates.append((row, as_int(entry["qoh"], "qoh")))
    return updates


def item_create(sb, route, payload):
    state, now = sb.state, sb.timestamp()
    description = str(payload.get("description") or "").strip()
    if not description:
        raise ApiError(400, "Item not created. An Item must have a description.")
    check_references(state, payload, "created")
    prices = price_cents(state, rows(payload.get("Prices"), "ItemPrice"), (0,) * len(state.price_levels), "created")
    item = Item(state.next_id("items"), description, str(payload.get("customSku") or ""),
                str(payload.get("upc") or ""), str(payload.get("ean") or ""),
                str(payload.get("manufacturerSku") or ""), as_int(payload.get("categoryID"), "categoryID"),
                as_int(payload.get("manufacturerID"), "manufacturerID"), 0, "", "", None,
                int(as_decimal(payload.get("defaultCost"), "defaultCost", 0) * 100),
                prices, now, now)
    state.items[item.item_id] = item
    for shop_id in (*state.shops, 0):  # the POST response already has one ItemShop per shop plus shopID 0
        item_shop_for(state, item.item_id, shop_id, now)
    return item, {"ItemShops"}


def item_delete(sb, route, payload):
    item = _record(sb, "items", route, "Item")
    now = sb.timestamp()
    for row in sb.state.item_shops_by_item.get(item.item_id, ()):
        if row.shop_id and row.qoh:
            set_qoh(sb.state, row, 0, now)
    item.archived, item.time_stamp = True, now
    return item, {"ItemShops"}


def sale_create(sb, route, payload):
    return sales.sale_create(sb, payload), SALE_RESPONSE_RELATIONS


def sale_update(sb, route, payload):
    return sales.sale_update(sb, _record(sb, "sales", route, "Sale"), payload), SALE_RESPONSE_RELATIONS


def sale_delete(sb, route, payload):
    return sales.sale_archive(sb, _record(sb, "sales", route, "Sale")), SALE_RESPONSE_RELATIONS


def sale_add_line(sb, route, payload):
    line_payload = rows(payload.get("SaleLines"), "SaleLine") if "SaleLines" in payload else [payload]
    sale = _record(sb, "sales", route, "Sale")
    for entry in line_payload:
        sale = sales.sale_add_line(sb, sale, entry)
    return sale, SALE_RESPONSE_RELATIONS


# tables whose sort indexes a write to the resource may invalidate (stock writes touch item_shops themselves)
TOUCHES = {"Category": ("categories",), "Customer": ("customers",), "Item": ("items",),
           "PaymentType": ("payment_types",), "Quote": ("quotes", "sales"), "ItemShop": (),
           "Sale": ("sales", "sale_lines", "sale_payments", "ship_tos", "customers")}

# (resource, method, has id, is sub-resource) -> handler
WRITERS = {
    ("Category", "POST", False, False): categories.category_create,
    ("Category", "PUT", True, False): categories.category_update,
    ("Category", "DELETE", True, False): categories.category_delete,
    ("Customer", "POST", False, False): customer_create,
    ("Customer", "PUT", True, False): customer_update,
    ("Customer", "DELETE", True, False): customer_delete,
    ("Item", "POST", False, False): item_create,
    ("Item", "PUT", True, False): item_update,
    ("Item", "DELETE", True, False): item_delete,
    ("Sale", "POST", False, False): sale_create,
    ("Sale", "PUT", True, False): sale_update,
    ("Sale", "DELETE", True, False): sale_delete,
    ("SaleLine", "POST", True, True): sale_add_line,
    ("Sale", "POST", True, True): refunds.sale_refund,
    ("PaymentType", "POST", False, False): payment_types.payment_type_create,
    ("PaymentType", "PUT", True, False): payment_types.payment_type_update,
    ("PaymentType", "DELETE", True, False): payment_types.payment_type_delete,
    ("ItemShop", "PUT", True, False): item_shop_update,
    ("Quote", "POST", False, False): quotes.quote_create,
    ("Quote", "PUT", True, False): quotes.quote_update,
    ("Quote", "DELETE", True, False): quotes.quote_delete,
}
