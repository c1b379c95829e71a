"""The XML order feed (v2.00) read tolerantly, and a web order mapped to the neutral ChannelOrder.

Pure functions: no database, no network.

    for order_id, chunk in feed_split(xml_bytes):            # one malformed WebOrder spoils only itself
        order = web_order_parse(chunk)                      # FeedProblem (a RecordError) when it is bad
        if order_balanced(order) and (not when_fulfilled or order_fulfilled(order)):
            channel_order = channel_order_from_web_order(order, items=lookup, booking=booking)
"""
import html
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from connector.errors import RecordError
from connector.http import BadResponse
from lightspeed.channel_order import ChannelOrder, OrderAddress, OrderCustomer, OrderLine, OrderPayment

WEB_ORDER = re.compile(rb"<WebOrder>.*?</WebOrder>", re.S)
ORDER_ID = re.compile(rb"<OrderId>\s*([^<]*?)\s*</OrderId>")
FORBIDDEN = (b"<!DOCTYPE", b"<!ENTITY")  # the feed never has them; refusing them rules out entity expansion
REFERENCE_PREFIX = "SE-"
REFERENCE_SOURCE = "SmartEtailing"
GIFT_CARD = re.compile(r"gift\s*(card|certificate)", re.I)
COUNTRIES = {"united states": "US", "usa": "US", "united states of america": "US", "canada": "CA",
             "mexico": "MX", "united kingdom": "GB", "australia": "AU", "germany": "DE", "france": "FR",
             "netherlands": "NL", "denmark": "DK", "sweden": "SE", "norway": "NO", "puerto rico": "PR"}


class FeedProblem(RecordError):
    """One web order we cannot read: logged on that order; the others go on."""


@dataclass(frozen=True)
class FeedAddress:
    first: str = ""
    last: str = ""
    full: str = ""
    address1: str = ""
    address2: str = ""
    city: str = ""
    state: str = ""
    country: str = ""
    zip: str = ""
    phone: str = ""
    email: str = ""

    @property
    def has_address(self):
        return bool(self.address1 or self.city or self.zip)


@dataclass(frozen=True)
class FeedItem:
    site_id: str
    code: str
    mpn: str
    gtin1: str
    gtin2: str
    quantity: int
    unit_price: Decimal
    description: str
    category: str
    fulfilled: bool | None = None  # PROVISIONAL element; None = the feed says nothing


@dataclass(frozen=True)
class FeedPayment:
    method: str
    amount: Decimal


@dataclass(frozen=True)
class WebOrder:
    order_id: str
    status: str
    time: str
    currency: str
    ship_to: FeedAddress
    bill_to: FeedAddress
    shipping_method: str
    pickup_location: str
    payments: tuple
    items: tuple
    totals: dict
    comments: str = ""
    web_comment: str = ""

    @property
    def captured(self):
        return sum((p.amount for p in self.payments), Decimal("0"))


# --- reading the feed ------------------------------------------------------------------------------

def feed_split(xml):
    """[(order id or "", WebOrder bytes)]; BadResponse when the document is not a WebOrders feed at all."""
    if any(marker in xml for marker in FORBIDDEN):
        raise BadResponse("smartetailing Orders: the feed holds a DOCTYPE/ENTITY declaration; refused")
    head = xml.lstrip()[:200]
    if b"<WebOrders" not in head:
        raise BadResponse(f"smartetailing Orders: not a WebOrders document: {head[:80]!r}")
    chunks = []
    for match in WEB_ORDER.finditer(xml):
        found = ORDER_ID.search(match.group(0))
        chunks.append((found.group(1).decode("utf-8", "replace") if found else "", match.group(0)))
    return chunks


def _text(node, path, *, required=True):
    found = node.find(path)
    if found is None:
        if required:
            raise FeedProblem(f"the order has no <{path}> element")
        return ""
    return (found.text or "").strip()


def _decimal(value, what):
    try:
        return Decimal(value)
    except (InvalidOperation, TypeError):
        raise FeedProblem(f"{what} is not a number: {value!r}") from None


def _address(node, path):
    block = node.find(path)
    if block is None:
        raise FeedProblem(f"the order has no <{path}> element")
    name = {k: _text(block, f"Name/{k.title()}", required=False) for k in ("first", "last", "full")}
    rest = {k.lower(): _text(block, k, required=False)
            for k in ("Address1", "Address2", "City", "State", "Country", "Zip", "Phone", "Email")}
    return FeedAddress(**name, **rest)


def _item(node, n):
    where = f"item {n + 1}"
    try:
        quantity = int(_text(node, "Quantity"))
    except ValueError:
        raise FeedProblem(f"{where}: the quantity {_text(node, 'Quantity')!r} is not a whole number") from None
    if quantity <= 0:
        raise FeedProblem(f"{where}: the quantity is {quantity}; SmartEtailing should never send less than 1")
    fulfilled = node.find("Fulfilled")
    return FeedItem(
        site_id=_text(node, "Id"), code=_text(node, "Code", required=False), mpn=_text(node, "Mpn", required=False),
        gtin1=_text(node, "Gtin1", required=False), gtin2=_text(node, "Gtin2", required=False), quantity=quantity,
        unit_price=_decimal(_text(node, "Unit-Price"), f"{where}: the unit price"),
        description=_text(node, "Description", required=False),
        category=html.unescape(_text(node, "Category", required=False)),  # the feed escapes it twice
        fulfilled=None if fulfilled is None else (fulfilled.text or "").strip().lower() in ("yes", "true", "1"))


def _payments(order):
    payments = []
    for info in order.findall("PaymentInfo"):
        amount = _text(info, "CreditCardInfo/CardAuthInfo/Amount")
        payments.append(FeedPayment(_text(info, "PaymentMethod", required=False) or "Web payment",
                                    _decimal(amount or "0", "the captured amount")))
    if not payments:
        raise FeedProblem("the order has no <PaymentInfo> element")
    return tuple(payments)


def web_order_parse(chunk):
    """One `<WebOrder>` element (bytes) as a WebOrder; FeedProblem says what is wrong with it."""
    try:
        root = ET.fromstring(chunk)
    except ET.ParseError as exc:
        raise FeedProblem(f"the order is not well-formed XML ({exc})") from None
    order = root.find("Order")
    if order is None:
        raise FeedProblem("the WebOrder has no <Order> element")
    order_id = _text(order, "OrderId")
    if not order_id:
        raise FeedProblem("the order has an empty <OrderId>")
    items = order.findall("Items/Item")
    if not items:
        raise FeedProblem("the order has no items")
    totals = {line.get("type"): _decimal((line.text or "").strip(), f"the {line.get('type')} total")
              for line in order.findall("OrderTotal/Line")}
    if "Total" not in totals:
        raise FeedProblem("the order has no Total line in <OrderTotal>")
    return WebOrder(
        order_id=order_id, status=_text(order, "Status", required=False), time=_text(order, "Time", required=False),
        currency=_text(order, "Currency", required=False), ship_to=_address(order, "AddressShipTo"),
        bill_to=_address(order, "AddressBillTo"), shipping_method=_text(order, "Shipping/Method", required=False),
        pickup_location=_text(order, "Shipping/PickupLocation", required=False), payments=_payments(order),
        items=tuple(_item(node, n) for n, node in enumerate(items)), totals=totals,
        comments=_text(order, "Comments", required=False), web_comment=_text(root, "WebComment", required=False))


# --- deciding and mapping --------------------------------------------------------------------------

def order_balanced(order):
    """Paid in full: the captured payments equal the order's Total, to the cent."""
    return order.captured == order.totals["Total"]


def order_fulfilled(order):
    return all(item.fulfilled is True for item in order.items)


def line_is_gift_card(item):
    return bool(GIFT_CARD.search(item.description) or GIFT_CARD.search(item.category))


def line_skip_reason(item):
    """Why a feed line is not exported ("" if it is): a gift card, or a non-inventory line, one that names no
    product at all (no SKU, UPC, EAN or MPN: a fee or a service; INFERENCE). A line that names a product
    Lightspeed lacks is not skipped: it is unmatched, and the order needs attention."""
    if line_is_gift_card(item):
        return "gift card"
    if not (item.code or item.gtin1 or item.gtin2 or item.mpn):
        return "non-inventory line"
    return ""


def payments_less(payments, amount):
    """The payments with `amount` (the lines left out) taken off, largest payment first: the sale in Lightspeed
    holds what was exported and balances."""
    left, out = amount, []
    for payment in sorted(payments, key=lambda p: p.amount, reverse=True):
        taken = min(left, payment.amount)
        left -= taken
        if payment.amount - taken:
            out.append(OrderPayment(amount=payment.amount - taken, method=payment.method))
    return tuple(out)


@dataclass(frozen=True)
class ItemLookup:
    """Mirror items by the keys a web order names: systemSku (the POS SKU we upload, which a mapped item's
    Code may carry), UPC, EAN, and manufacturer SKU (only where one item has it)."""

    by_sku: dict = field(default_factory=dict)
    by_upc: dict = field(default_factory=dict)
    by_ean: dict = field(default_factory=dict)
    by_mpn: dict = field(default_factory=dict)

    def match(self, item):
        """(Lightspeed itemID, how it matched) or (None, "")."""
        candidates = (("code", self.by_sku, item.code), ("gtin1", self.by_upc, item.gtin1),
                      ("gtin1", self.by_ean, item.gtin1), ("gtin2", self.by_ean, item.gtin2),
                      ("gtin2", self.by_upc, item.gtin2), ("mpn", self.by_mpn, item.mpn))
        for how, table, key in candidates:
            if key and key in table:
                return table[key], how
        return None, ""


@dataclass(frozen=True)
class Booking:
    shop_ls_id: int
    register_ls_id: int
    employee_ls_id: int
    shops_by_location: dict = field(default_factory=dict)  # Neighborhood Descriptor -> Lightspeed shop


def country_code(name):
    name = (name or "").strip()
    if len(name) == 2 and name.isalpha():
        return name.upper()
    return COUNTRIES.get(name.lower(), "")


def _customer(order):
    """Billing e-mail and name; PayPal orders have an empty bill-to, so the ship-to fills the gaps."""
    bill, ship = order.bill_to, order.ship_to
    first = bill.first or ship.first
    last = bill.last or ship.last
    if not (first or last) and (bill.full or ship.full):
        first, _, last = (bill.full or ship.full).partition(" ")
    return OrderCustomer(email=(bill.email or ship.email).strip().lower(), first_name=first, last_name=last,
                         phone=bill.phone or ship.phone)


def _ship_to(order):
    addr = order.ship_to if order.ship_to.has_address else order.bill_to
    return OrderAddress(name=addr.full or f"{addr.first} {addr.last}".strip(), line1=addr.address1,
                        line2=addr.address2, city=addr.city, zip=addr.zip, state=addr.state,
                        country=country_code(addr.country))


def channel_order_from_web_order(order, *, items, booking):
    """The ChannelOrder of a web order: lines matched in the mirror (unmatched ones kept with item None),
    gift cards and non-inventory lines left out (listed in extra["skipped_lines"], their amount taken off the
    payments), shipping as a charge, each payment by name."""
    lines, skipped, matched_by, skipped_total = [], [], [], Decimal(0)
    for n, item in enumerate(order.items):
        if reason := line_skip_reason(item):
            skipped_total += item.unit_price * item.quantity
            skipped.append({"line": n + 1, "description": item.description, "reason": reason,
                            "amount": str(item.unit_price * item.quantity)})
            continue
        ls_id, how = items.match(item)
        matched_by.append(how)
        lines.append(OrderLine(item_ls_id=ls_id, quantity=item.quantity, unit_price=item.unit_price,
                               sku=item.gtin1 or item.gtin2 or item.mpn or item.code, title=item.description,
                               external_id=item.site_id))
    shop = booking.shops_by_location.get(order.pickup_location) or booking.shop_ls_id
    note = "\n".join(text for text in (order.web_comment, order.comments) if text)
    return ChannelOrder(
        reference=f"{REFERENCE_PREFIX}{order.order_id}", lines=tuple(lines), shop_ls_id=shop,
        register_ls_id=booking.register_ls_id, employee_ls_id=booking.employee_ls_id, customer=_customer(order),
        ship_to=_ship_to(order), shipping=order.totals.get("Shipping", Decimal("0")), shipping_title="Shipping",
        tax=order.totals.get("Tax", Decimal("0")),
        discount=abs(order.totals.get("Discount", Decimal("0"))),  # INFERENCE: the feed's sign is not documented
        payments=payments_less([OrderPayment(amount=p.amount, method=p.method) for p in order.payments if p.amount],
                               skipped_total),
        completed=True, note=note, reference_source=REFERENCE_SOURCE,
        extra={"order_id": order.order_id, "total": str(order.totals["Total"]),
               "status": order.status, "skipped_lines": skipped, "matched_by": matched_by,
               "shipping_method": order.shipping_method})
