"""Pure mapping, both directions (no database, no HTTP; fully tested):

- `order_plan(sale, ...)`: a completed Lightspeed sale (mirror rows) -> one Sellercloud order (channels-deep.md
  §2.5): the `POST /api/Orders` body, the manual payments, the shipping call and the returns;
- `qoh_for_shop`, `upload_changes`: per Lightspeed shop, the physical quantity of its mapped warehouses (summed),
  and which qoh/price/cost values differ from what Lightspeed has.
"""
from dataclasses import dataclass, field
from decimal import Decimal

UNKNOWN_SKU = "UNKNOWN"
LOCAL_STORE = 0
NO_CUSTOMER = ("Lightspeed", "Order")
NO_EMAIL = "lightspeed.order@noemail.invalid"  # CustomerDetails.Email is required; INFERENCE: a placeholder
CASH, GIFT, OTHER = 4, 5, 6
PAYMENT_METHODS = {"cash": CASH, "gift card": GIFT, "gift certificate": GIFT}  # credit card etc.: Other + note
CENT = Decimal("0.01")


@dataclass(frozen=True)
class OrderPlan:
    body: dict
    payments: list  # ReceiveManualPayment bodies, each with a unique ReferenceNumber
    ship: dict  # PUT /api/Orders/ShippingStatus body without OrderID
    returns: list  # [{"sku", "qty", "item_ls_id"}] to re-add into the Returns Warehouse
    unknown_items: list = field(default_factory=list)  # Lightspeed item ids with no Sellercloud product


def _money(value):
    return float(Decimal(value).quantize(CENT))


def _iso(when):
    return when.strftime("%Y-%m-%dT%H:%M:%S") if when else None


def _address(first, last, business="", address=None):
    address = address or {}
    return {"FirstName": first, "LastName": last, "Business": business, "Address": address.get("address1", ""),
            "Address2": address.get("address2", ""), "City": address.get("city", ""),
            "State": address.get("state", ""), "ZipCode": address.get("zip", ""),
            "Country": address.get("country", ""), "Phone": address.get("phone", "")}


def company_as_address(company):
    """The company address (downloaded with the default warehouse) in the order address shape."""
    c = company or {}
    return {"FirstName": c.get("FirstName") or c.get("Business") or "", "LastName": c.get("LastName") or "",
            "Business": c.get("Business") or "", "Address": c.get("Address") or "", "Address2": c.get("Address2") or "",
            "City": c.get("City") or "", "State": c.get("State") or "", "ZipCode": c.get("ZipCode") or "",
            "Country": c.get("Country") or "", "Phone": c.get("Phone") or ""}


def customer_and_addresses(customer, ship_to, *, company=None):
    """(CustomerDetails, ShippingAddress, BillingAddress): the sale's customer, else "Lightspeed Order";
    with "Use Company Address" the company address is both addresses."""
    if customer is not None and (customer.first_name or customer.last_name or customer.company):
        first, last = customer.first_name or customer.company, customer.last_name or "-"
        details = {"Email": customer.email or NO_EMAIL, "FirstName": first, "LastName": last,
                   "Business": customer.company}
    else:
        details = {"Email": NO_EMAIL, "FirstName": NO_CUSTOMER[0], "LastName": NO_CUSTOMER[1], "Business": ""}
    if company is not None:
        address = company_as_address(company)
        return details, address, dict(address)
    if ship_to is not None:
        shipping = _address(ship_to.first_name or details["FirstName"], ship_to.last_name or details["LastName"],
                            ship_to.company, ship_to.address)
    else:
        shipping = _address(details["FirstName"], details["LastName"], details["Business"])
    return details, shipping, dict(shipping)


def order_lines(lines, sku_by_item, item_names):
    """(Products, returns, unknown item ids, discount notes) from the sale lines."""
    products, returns, unknown, discounts = [], [], [], []
    for line in lines:
        sku = sku_by_item.get(line.item_ls_id)
        name = item_names.get(line.item_ls_id) or f"Lightspeed item {line.item_ls_id}"
        if sku is None:
            unknown.append(line.item_ls_id)
        if line.quantity < 0:
            returns.append({"sku": sku, "qty": -line.quantity, "item_ls_id": line.item_ls_id, "name": name})
            continue
        if line.discount:
            discounts.append(f"{name}: {Decimal(line.discount).quantize(CENT)}")
        products.append({"ProductID": sku or UNKNOWN_SKU, "ProductName": name, "Qty": line.quantity,
                         "SitePrice": _money(line.unit_price), "DiscountValue": _money(line.discount or 0),
                         "DiscountType": 0, "LineTaxTotal": _money(line.tax or 0), "ReferenceID": str(line.ls_id),
                         "Notes": "" if sku else f"Lightspeed item {line.item_ls_id} has no Sellercloud product"})
    return products, returns, unknown, discounts


def payment_bodies(sale, payments, kinds):
    """ReceiveManualPayment bodies; refunds (negative) and card payments are described in notes instead."""
    bodies, notes = [], []
    for payment in payments:
        kind = kinds.get(payment.payment_type_ls_id) or (payment.payment_type_name or "").lower()
        label = payment.payment_type_name or kind or "payment"
        if payment.amount < 0:
            notes.append(f"Refunded in Lightspeed: {-Decimal(payment.amount).quantize(CENT)} by {label}")
            continue
        method = PAYMENT_METHODS.get(kind, OTHER)
        bodies.append({"PaymentMethod": method, "Amount": _money(payment.amount),
                       "Notes": f"Lightspeed {label}", "ReferenceNumber": f"LS-{payment.ls_id}"})
    if not payments and sale.total > 0:
        bodies.append({"PaymentMethod": OTHER, "Amount": _money(sale.total),
                       "Notes": "No payment on the Lightspeed sale: marked paid",
                       "ReferenceNumber": f"LS-{sale.ls_id}-0"})
        notes.append("The Lightspeed sale has no payment; the order is marked paid.")
    return bodies, notes


def order_plan(sale, *, lines, payments, customer, ship_to, company_id, sku_by_item, item_names, kinds,
               warehouse_id, company=None):
    """Everything one Lightspeed sale becomes in Sellercloud. `company`: the company address, when that
    switch is on."""
    details, shipping, billing = customer_and_addresses(customer, ship_to, company=company)
    products, returns, unknown, discounts = order_lines(lines, sku_by_item, item_names)
    pays, pay_notes = payment_bodies(sale, payments, kinds)
    notes = [f"Lightspeed sale {sale.ls_id}" + (f" (ticket {sale.ticket_number})" if sale.ticket_number else "")]
    if unknown:
        notes.append("Lightspeed items without a Sellercloud product, on the order as UNKNOWN: "
                     + ", ".join(str(i) for i in unknown))
    if discounts:
        total = sum(Decimal(line.discount or 0) for line in lines if line.quantity >= 0).quantize(CENT)
        notes.append(f"Item discounts moved to order level, total {total}: " + "; ".join(discounts))
    if returns:
        notes.append("Returned in Lightspeed (stock re-added to the Returns Warehouse): " + "; ".join(
            f"{r['qty']} x {r['sku'] or 'no Sellercloud product'} ({r['name']})" for r in returns))
    notes += pay_notes
    body = {
        "CustomerDetails": details,
        "OrderDetails": {"CompanyID": int(company_id), "Channel": LOCAL_STORE, "OrderSourceOrderID": str(sale.ls_id),
                         "OrderDate": _iso(sale.complete_time), "DisableInventoryCount": False},
        "Products": products, "ShippingAddress": shipping, "BillingAddress": billing,
        "ShippingMethodDetails": {"Carrier": "Other", "ShippingMethod": "Pickup", "ShippingFee": 0},
        "Notes": [{"Note": note, "Category": 0} for note in notes],
    }
    ship = {"ShippingCarrier": "Other", "ShippingService": "Pickup", "ShipFromWarehouseID": warehouse_id,
            "ShipDate": _iso(sale.complete_time)}
    return OrderPlan(body=body, payments=pays, ship=ship, returns=returns, unknown_items=unknown)


# --- Sellercloud -> Lightspeed ---------------------------------------------------------------------------

def qoh_for_shop(warehouse_qty, warehouse_ids):
    """The Lightspeed qoh of a shop: the physical quantity of its mapped warehouses, summed."""
    return sum(int(warehouse_qty.get(str(w), 0) or 0) for w in warehouse_ids)


@dataclass(frozen=True)
class ItemChange:
    item_ls_id: int
    qoh: dict  # {shop ls_id: new qoh} only where it differs
    price: Decimal | None = None
    cost: Decimal | None = None
    conflicts: tuple = ()  # (what, Lightspeed's value, our last upload) where Lightspeed changed since

    @property
    def empty(self):
        return not self.qoh and self.price is None and self.cost is None


def upload_changes(product, *, shops, mirror_qoh, mirror_price, price_on, cost_on, qoh_on=True):
    """What to write to one linked Lightspeed item, only where Sellercloud differs from the mirror.

    `product`: warehouse_qty, price, cost, uploaded (what we last wrote); `shops`: {shop ls_id: warehouse ids};
    `mirror_qoh`: {shop ls_id: qoh}; `mirror_price`: the item's default price. Sellercloud wins a conflict."""
    uploaded = product.uploaded or {}
    qoh, conflicts = {}, []
    for shop, warehouses in shops.items() if qoh_on else ():
        wanted = qoh_for_shop(product.warehouse_qty, warehouses)
        have = mirror_qoh.get(shop)
        last = (uploaded.get("qoh") or {}).get(str(shop))
        if last is not None and have is not None and have != last:
            conflicts.append((f"qoh of shop {shop}", have, last))
        if have != wanted:
            qoh[shop] = wanted
    price = None
    if price_on and product.price is not None and (mirror_price is None or Decimal(mirror_price) != product.price):
        price = product.price
    cost = None
    last_cost = uploaded.get("cost")
    if cost_on and product.cost is not None and (last_cost is None or Decimal(last_cost) != product.cost):
        cost = product.cost
    return ItemChange(item_ls_id=product.item_ls_id, qoh=qoh, price=price, cost=cost, conflicts=tuple(conflicts))
