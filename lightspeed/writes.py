"""The Lightspeed writes (and the checkout/refund reads) the channels need, each with its predicted cost.

Every write is first built as a `Write` (method, path, body): `Write.cost` is the drips the request
will cost (lightspeed.costs, the documented table), known before anything is sent, so a caller can
refuse or split a write that would not fit the bucket. The functions taking a client send it:

    write = item_stock_set_request(item_id, {1: 5, 2: 0})   # write.cost == 2.0
    item = item_stock_set(client, item_id, {1: 5, 2: 0})

PUTs that set absolute values are retried on a transient failure; POSTs are not (a lost answer may
hide a created record): the find-or-create helpers look the record up again instead.
"""
from dataclasses import dataclass
from decimal import Decimal

from connector.errors import RecordError
from connector.http import Transient

from .costs import request_cost
from .ratelimit import bucket_defaults
from .records import as_list, format_datetime, item_record, sale_record
from .resources import relations
from .write_records import customer_details, payment_type_record, quote_record, refund_record, ship_to_record

COST_PATH = "/API/V3/Account/0/{}.json"  # the account id does not change a cost
CHECKOUT_RELATIONS = ["SaleLines", "Customer", "Customer.Contact", "ShipTo", "ShipTo.Contact"]
REFUND_RELATIONS = ["SaleLines", "SalePayments"]
IN_BATCH = 100  # `IN,[...]` takes at most 100 values


@dataclass(frozen=True)
class Write:
    method: str
    path: str  # relative to the account: "Item/5"
    body: dict

    @property
    def resource(self):
        return self.path.split("/")[0]

    @property
    def cost(self):
        return request_cost(self.method, COST_PATH.format(self.path), {}, self.body)


def read_cost(resource, params):
    """Drips one page of a read costs."""
    return request_cost("GET", COST_PATH.format(resource), params)


class WriteTooCostly(RecordError):
    """A write that costs more than the smallest bucket would block the account: refused before sending."""


SMALLEST_BUCKET = bucket_defaults(1)[0]  # 90 drips: every account's bucket is at least this big


def write_check(write):
    if write.cost > SMALLEST_BUCKET:
        raise WriteTooCostly(f"This {write.resource} write would cost {write.cost:g} drips, more than Lightspeed's "
                             f"bucket of {SMALLEST_BUCKET:g}; send fewer prices, shops or contact entries at once.",
                             data={"path": write.path, "cost": write.cost})
    return write


def send(client, write, *, retry=False):
    """Send the write (refused first when it could never fit the bucket); returns the answer's resource object."""
    write_check(write)
    call = client.post if write.method == "POST" else client.put
    data = call(write.path, write.body, retry=retry)
    rows = as_list(data.get(write.resource))
    return rows[0] if rows else {}


# Items.
def _money(value):
    return str(Decimal(str(value)))


def item_body(*, description=None, custom_sku=None, upc=None, ean=None, manufacturer_sku=None, default_cost=None,
              prices=None, category_id=None, manufacturer_id=None, tax_class_id=None):
    """The fields given (None = leave out). `prices`: {price level: amount}, a level by id (useTypeID, which is
    the PriceLevel id) or by name (useType, e.g. "Default")."""
    body = {}
    for key, value in (("description", description), ("customSku", custom_sku), ("upc", upc), ("ean", ean),
                       ("manufacturerSku", manufacturer_sku)):
        if value is not None:
            body[key] = str(value)
    for key, value in (("categoryID", category_id), ("manufacturerID", manufacturer_id),
                       ("taxClassID", tax_class_id)):
        if value is not None:
            body[key] = str(int(value))
    if default_cost is not None:
        body["defaultCost"] = _money(default_cost)
    if prices:
        body["Prices"] = {"ItemPrice": [_item_price(level, amount) for level, amount in prices.items()]}
    return body


def _item_price(level, amount):
    key = "useTypeID" if isinstance(level, int) else "useType"
    return {"amount": _money(amount), key: str(level)}


def item_create_request(**fields):
    body = item_body(**fields)
    if not str(body.get("description") or "").strip():
        raise ValueError("an item needs a description")
    return Write("POST", "Item", body)


def item_create(client, **fields):
    """POST Item (cost 1 + 0.5 per price). The answer has one ItemShop per shop plus shopID 0, and the prices."""
    return item_record(send(client, item_create_request(**fields)))


def item_update_request(item_id, **fields):
    body = item_body(**fields)
    if "description" in body and not body["description"].strip():
        raise ValueError("an item's description cannot be emptied")
    return Write("PUT", f"Item/{int(item_id)}", body)


def item_update(client, item_id, **fields):
    """PUT Item: only the fields given change (cost 1 + 0.5 per price)."""
    return item_record(send(client, item_update_request(item_id, **fields), retry=True))


def item_stock_set_request(item_id, quantities):
    """Absolute qoh per shop through `PUT Item` with ItemShops (PUT ItemShop cannot change qoh)."""
    if not quantities:
        raise ValueError("no quantities to set")
    rows = []
    for shop_id, qoh in quantities.items():
        if int(shop_id) <= 0:
            raise ValueError("shopID 0 is the all-shops summary and cannot be set")
        rows.append({"shopID": str(int(shop_id)), "qoh": str(int(qoh))})
    return Write("PUT", f"Item/{int(item_id)}", {"ItemShops": {"ItemShop": rows}})


def item_stock_set(client, item_id, quantities):
    """Set qoh per shop ({shop_id: qoh}) in one request (cost 1 + 0.5 per shop); safe to retry."""
    return item_record(send(client, item_stock_set_request(item_id, quantities), retry=True))


# Payment types.
def payment_types_read(client):
    """Every payment type, archived ones too (one page in practice: cost 1)."""
    return [payment_type_record(raw) for raw in client.iterate("PaymentType", {"archived": "true"})]


def payment_type_create_request(name, *, require_customer=False):
    name = str(name).strip()
    if not name:
        raise ValueError("a payment type needs a name")
    return Write("POST", "PaymentType", {"name": name, "requireCustomer": "true" if require_customer else "false"})


def payment_type_create(client, name, *, require_customer=False):
    """POST PaymentType (cost 1). Lightspeed makes every API-created type "user defined"."""
    return payment_type_record(send(client, payment_type_create_request(name, require_customer=require_customer)))


def payment_type_find_or_create(client, name):
    """(payment type named `name`, created?). Names match case-insensitively; an archived match is brought
    back rather than duplicated. Cost: 1 read, plus 1 for a create or an unarchive."""
    wanted = str(name).strip().casefold()
    matches = [t for t in payment_types_read(client) if t.name.strip().casefold() == wanted]
    active = [t for t in matches if not t.archived]
    if active:
        return active[0], False
    if matches and not matches[0].internal_reserved:
        write = Write("PUT", f"PaymentType/{matches[0].payment_type_id}", {"archived": "false"})
        return payment_type_record(send(client, write, retry=True)), False
    try:
        return payment_type_create(client, name), True
    except Transient:
        found = [t for t in payment_types_read(client) if t.name.strip().casefold() == wanted and not t.archived]
        if not found:
            raise
        return found[0], True


# Customers.
def customer_body(*, first_name=None, last_name=None, company=None, email=None, phone=None, mobile=None,
                  address=None):
    """A Customer body with its Contact nested. `address`: {address1, address2, city, state, zip, country,
    countryCode}. Only what is given is sent; a PUT replaces a contact list it sends (e.g. Emails)."""
    body = {key: str(value) for key, value in (("firstName", first_name), ("lastName", last_name),
                                               ("company", company)) if value is not None}
    contact = {}
    if email:
        contact["Emails"] = {"ContactEmail": {"address": str(email).strip(), "useType": "Primary"}}
    phones = [{"number": str(n), "useType": use} for n, use in ((phone, "Home"), (mobile, "Mobile")) if n]
    if phones:
        contact["Phones"] = {"ContactPhone": phones}
    if address:
        contact["Addresses"] = {"ContactAddress": {k: str(v) for k, v in address.items() if v is not None}}
    if contact:
        body["Contact"] = contact
    return body


def customer_find_by_email(client, email):
    """The active customer whose contact has this email (case-insensitive), as CustomerDetails, or None.
    Cost 1.2 (the Contact relation on a list)."""
    email = str(email or "").strip()
    if not email:
        return None
    params = {"load_relations": relations(["Contact"]), "Contact.email": email}
    for raw in as_list(client.get("Customer", params).get("Customer")):
        record = customer_details(raw)
        if email.casefold() in (e.casefold() for e in record.emails):
            return record
    return None


def customer_create_request(**fields):
    body = customer_body(**fields)
    if not any(str(body.get(k) or "").strip() for k in ("firstName", "lastName", "company")):
        raise ValueError("a customer needs a first name, last name or company")
    return Write("POST", "Customer", body)


def customer_create(client, **fields):
    """POST Customer (cost 1 + 0.5 for the Contact + 0.5 per email, phone and address)."""
    return customer_details(send(client, customer_create_request(**fields)))


def customer_update_request(customer_id, **fields):
    return Write("PUT", f"Customer/{int(customer_id)}", customer_body(**fields))


def customer_update(client, customer_id, **fields):
    return customer_details(send(client, customer_update_request(customer_id, **fields), retry=True))


# Shipping on a sale (Buckles' track & trace: there is no tracking field, so the note carries it).
def track_and_trace_note(code, carrier=""):
    return f"Track & Trace: {code} ({carrier})" if carrier else f"Track & Trace: {code}"


def sale_ship_to_request(sale_id, *, shipped=True, ship_note=None):
    ship_to = {"shipped": "true" if shipped else "false"}
    if ship_note is not None:
        ship_to["shipNote"] = str(ship_note)
    return Write("PUT", f"Sale/{int(sale_id)}", {"ShipTo": ship_to})


def sale_ship_to_set(client, sale_id, *, shipped=True, ship_note=None):
    """PUT Sale with a nested ShipTo (cost 2 + 0.5): marks it shipped, keeps the address. Returns the ShipTo
    when the answer carries it, else None."""
    raw = send(client, sale_ship_to_request(sale_id, shipped=shipped, ship_note=ship_note), retry=True)
    return ship_to_record(raw["ShipTo"]) if isinstance(raw.get("ShipTo"), dict) else None


# Checkouts: quotes and open sales.
def sales_by_ids(client, sale_ids, relations_=CHECKOUT_RELATIONS):
    """Sales by id, 100 a request (cost 1 + relations, doubled on a list)."""
    ids = [int(i) for i in sale_ids]
    for start in range(0, len(ids), IN_BATCH):
        batch = ",".join(str(i) for i in ids[start:start + IN_BATCH])
        params = {"saleID": f"IN,[{batch}]", "archived": "true", "load_relations": relations(relations_)}
        yield from (sale_record(raw) for raw in client.iterate("Sale", params))


def quotes_read(client, *, with_sales=True):
    """Active quotes (Quote sorts only by quoteID, so every read is a full walk: 1 drip a page), each with
    the sale that holds it now when `with_sales` (one more request per 100 quotes)."""
    quotes = [quote_record(raw) for raw in client.iterate("Quote", {"sort": "quoteID"})]
    if with_sales and quotes:
        sales = {s.sale_id: s for s in sales_by_ids(client, [q.sale_id for q in quotes])}
        for quote in quotes:
            quote.sale = sales.get(quote.sale_id)
    return quotes


def open_sales_params(since=None):
    params = {"completed": "false", "voided": "false", "sort": "timeStamp",
              "load_relations": relations(CHECKOUT_RELATIONS)}
    if since is not None:
        params["timeStamp"] = f">=,{format_datetime(since)}"
    return params


def open_sales_read(client, since=None):
    """Open (not completed, not voided, not archived) sales changed at or after `since`, oldest change first.
    Cost per page: read_cost("Sale", open_sales_params())."""
    return [sale_record(raw) for raw in client.iterate("Sale", open_sales_params(since))]


# Refunds.
def refund_sales_params(since):
    return {"completed": "true", "sort": "completeTime", "completeTime": f">=,{format_datetime(since)}",
            "archived": "true", "load_relations": relations(REFUND_RELATIONS)}


def refund_sales_read(client, since):
    """Refund sales completed at or after `since`: sales with negative lines, each line naming the sold line
    it gives back (parentSaleLineID). Lightspeed cannot filter on the sign, so this walks the completed sales."""
    found = (refund_record(raw) for raw in client.iterate("Sale", refund_sales_params(since)))
    return [refund for refund in found if refund is not None]


def sale_refund_request(sale_id, *, employee_id, register_id, shop_id, payment_type_id, lines=None, amount=None):
    """`lines`: {sold saleLineID: quantity to give back (positive)}; None refunds what is left of the sale."""
    payment = {"paymentTypeID": str(int(payment_type_id))}
    if amount is not None:
        payment["amount"] = _money(-abs(Decimal(str(amount))))
    body = {"employeeID": str(int(employee_id)), "registerID": str(int(register_id)), "shopID": str(int(shop_id)),
            "SalePayments": {"SalePayment": payment}}
    if lines:
        body["SaleLines"] = {"SaleLine": [{"parentSaleLineID": str(int(line_id)), "unitQuantity": str(-abs(int(q)))}
                                          for line_id, q in lines.items()]}
    return Write("POST", f"Sale/{int(sale_id)}/refund", body)


def sale_refund(client, sale_id, **kwargs):
    """POST Sale/{id}/refund (cost 10 + 0.5 per line and payment): a completed refund sale. Not retried."""
    write = write_check(sale_refund_request(sale_id, **kwargs))
    data = client.post(write.path, write.body)
    return refund_record(as_list(data.get("Sale"))[0])
