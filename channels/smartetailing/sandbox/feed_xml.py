"""The v2.00 `WebOrders` document as feeds.cfc serves it (channels-deep.md §1.2), from the sandbox's orders.

Quirks kept on purpose: every element the known client reads is present (empty ones as `<X/>`, the
empty ship-to full name as `<Full></Full>`), `Category` is escaped twice (`&amp;gt;`), `Time` is
`Fri Jan 15 15:19:16 2021`, `NumberOfOrders` is not the number of `WebOrder`s listed, and the five
`OrderTotal` lines are always there. PROVISIONAL (ours, see docs/smartetailing.md): an offline
second payment is a second `PaymentInfo` (method "Manual"); each item carries `Fulfilled` Yes/No.
"""
from xml.sax.saxutils import escape

INDENT = "    "
ADDRESS_FIELDS = ("Address1", "Address2", "City", "State", "Country", "Zip", "Phone", "Email")
ITEM_FIELDS = (("Id", "id"), ("Code", "code"), ("Mpn", "mpn"), ("Gtin1", "gtin1"), ("Gtin2", "gtin2"),
               ("Quantity", "quantity"), ("Unit-Price", "unit_price"), ("Weight", "weight"),
               ("Description", "description"), ("Category", "category"), ("Url", "url"), ("Taxable", "taxable"),
               ("ModelYear", "model_year"))
TOTAL_TYPES = ("Subtotal", "Discount", "Shipping", "Tax", "Total")


def element(name, value, depth, *, empty_pair=False, attrs=""):
    pad = INDENT * depth
    text = "" if value is None else str(value)
    if text == "" and not empty_pair:
        return f"{pad}<{name}{attrs}/>"
    return f"{pad}<{name}{attrs}>{escape(text)}</{name}>"


def block(name, depth, children):
    pad = INDENT * depth
    return [f"{pad}<{name}>", *children, f"{pad}</{name}>"]


def address(name, addr, depth):
    names = block("Name", depth + 1, [element("First", addr.get("first"), depth + 2),
                                      element("Last", addr.get("last"), depth + 2),
                                      element("Full", addr.get("full"), depth + 2, empty_pair=True)])
    fields = [element(f, addr.get(f.lower()), depth + 1) for f in ADDRESS_FIELDS]
    return block(name, depth, [*names, *fields])


def payment(pay, depth):
    c = depth + 3
    card = block("CreditCard", depth + 2, [
        element("Number", pay.get("number"), c), element("Type", pay.get("type"), c),
        element("Expiration", pay.get("expiration", "/"), c), element("CCV", "", c)])
    auth = block("CardAuthInfo", depth + 2, [
        element("Amount", pay["amount"], c), element("Auth-Response", "", c), element("AVS-Response", "", c),
        element("CCV-Response", "", c), element("TransId", pay.get("trans_id"), c)])
    return block("PaymentInfo", depth, [element("PaymentMethod", pay["method"], depth + 1),
                                        *block("CreditCardInfo", depth + 1, [*card, *auth])])


def item(num, it, depth):
    values = {**it, "category": escape(it.get("category") or "")}  # escaped once here, once more by element()
    children = [element(tag, values.get(key), depth + 1) for tag, key in ITEM_FIELDS]
    for opt in it.get("options") or ():
        children.append(element("Option", opt["value"], depth + 1,
                                attrs=f' name="{escape(opt["name"])}" type="{escape(opt.get("type", "Normal"))}"'))
    children.append(element("SupplierFulfilled", it.get("supplier_fulfilled", "No"), depth + 1))
    if "fulfilled" in it:
        children.append(element("Fulfilled", "Yes" if it["fulfilled"] else "No", depth + 1))
    pad = INDENT * depth
    return [f'{pad}<Item num="{num}">', *children, f"{pad}</Item>"]


def order(o, depth):
    d = depth + 1
    shipping = block("Shipping", d, [element("Method", o["shipping"].get("method"), d + 1),
                                     element("Classification", o["shipping"].get("classification"), d + 1),
                                     element("PickupLocation", o["shipping"].get("pickup_location"), d + 1)])
    affiliate = block("AffiliateInfo", d, [element("Id", 0, d + 1), element("Affiliate", "", d + 1),
                                           element("Commission", 0, d + 1)])
    items = block("Items", d, [line for n, it in enumerate(o["items"]) for line in item(n, it, d + 1)])
    totals = block("OrderTotal", d, [element("Line", o["totals"][t], d + 1, attrs=f' name="{t}" type="{t}"')
                                     for t in TOTAL_TYPES])
    return block("Order", depth, [
        element("OrderId", o["order_id"], d), element("Currency", o.get("currency", "USD"), d),
        element("Time", o["time"], d), element("CustomerId", o["customer_id"], d),
        element("CustomerIP", o.get("customer_ip"), d),
        *address("AddressShipTo", o["ship_to"], d), *address("AddressBillTo", o["bill_to"], d),
        *affiliate, *shipping, *(line for pay in o["payments"] for line in payment(pay, d)),
        element("Status", o["status"], d), element("Comments", o.get("comments"), d), *items, *totals])


def web_orders(orders, number_of_orders=None):
    """The whole document; `number_of_orders` is what the real feed prints there (not the count listed)."""
    lines = ["<WebOrders>", element("NumberOfOrders", len(orders) if number_of_orders is None else number_of_orders, 1)]
    for o in orders:
        lines += block("WebOrder", 1, [*order(o, 2), element("WebComment", o["web_comment"], 2)])
    lines.append("</WebOrders>")
    return "\n".join(lines)
