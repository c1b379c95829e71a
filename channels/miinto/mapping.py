"""Pure functions: Miinto transfers -> parsed orders -> the neutral ChannelOrder (lightspeed.channel_order).

Field mapping (seed 000): order id -> referenceNumber (+ prefix); customer name -> firstName & lastName;
street -> address1; city; postcode -> zip; country; phone; email; qty -> unitQuantity; price -> unitPrice;
EAN -> itemID (resolved through the mirror by the caller).
"""
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from connector.errors import RecordError
from lightspeed.channel_order import MAX_QUANTITY, ChannelOrder, OrderAddress, OrderCustomer, OrderLine

REFERENCE_SOURCE = "Miinto"
COUNTRY_NAMES = {"DK": "Denmark", "SE": "Sweden", "NO": "Norway", "FI": "Finland", "DE": "Germany",
                 "NL": "Netherlands", "PL": "Poland", "BE": "Belgium", "FR": "France", "GB": "United Kingdom"}


class MalformedTransfer(RecordError):
    pass


@dataclass
class Position:
    id: int
    gtin: str
    quantity: int
    price_minor: int
    problem: str = ""  # non-empty: the position cannot be imported as it is

    @property
    def unit_price(self):
        return minor_to_decimal(self.price_minor)


@dataclass
class Transfer:
    id: int
    currency: str
    positions: list
    billing: dict = field(default_factory=dict)
    shipping: dict = field(default_factory=dict)


def minor_to_decimal(minor):
    """Miinto prices are integers in minor units (øre, öre, cents)."""
    return (Decimal(int(minor)) / 100).quantize(Decimal("0.01"))


def transfer_id_of(raw):
    value = raw.get("id") if isinstance(raw, dict) else None
    if isinstance(value, bool) or not isinstance(value, (int, str)) or not str(value).strip():
        return None
    return str(value).strip()


def transfer_parse(raw):
    """A pending transfer, checked. Structural problems raise MalformedTransfer; a bad position is kept
    with `problem` set, so the rest of the order can still go through."""
    transfer_id = transfer_id_of(raw)
    if transfer_id is None:
        raise MalformedTransfer(f"transfer without an id: {str(raw)[:200]}")
    positions = raw.get("pendingPositions")
    if not isinstance(positions, list):
        raise MalformedTransfer(f"transfer {transfer_id}: pendingPositions is missing or not a list")
    billing = raw.get("billingInformation") if isinstance(raw.get("billingInformation"), dict) else {}
    shipping = raw.get("shippingInformation") if isinstance(raw.get("shippingInformation"), dict) else {}
    return Transfer(id=transfer_id, currency=str(raw.get("currency") or ""), billing=billing, shipping=shipping,
                    positions=[position_parse(transfer_id, p) for p in positions])


def position_parse(transfer_id, raw):
    if not isinstance(raw, dict) or not isinstance(raw.get("id"), int):
        raise MalformedTransfer(f"transfer {transfer_id}: a position has no integer id: {str(raw)[:120]}")
    item = raw.get("item") if isinstance(raw.get("item"), dict) else {}
    gtin = str(item.get("gtin") or "").strip()
    quantity, price = raw.get("quantity"), raw.get("price")
    position = Position(id=raw["id"], gtin=gtin, quantity=0, price_minor=0)
    if not gtin:
        position.problem = "has no gtin"
    elif not isinstance(quantity, int) or isinstance(quantity, bool) or quantity <= 0:
        position.problem = f"has quantity {quantity!r} (must be a positive integer)"
    elif quantity > MAX_QUANTITY:
        position.problem = f"has quantity {quantity!r} (more than {MAX_QUANTITY}, impossible for one order line)"
    elif not _is_minor_price(price):
        position.problem = f"has price {price!r} (must be a non-negative integer in minor units)"
    else:
        position.quantity, position.price_minor = quantity, int(price)
    return position


def _is_minor_price(value):
    if isinstance(value, bool):
        return False
    try:
        return isinstance(value, int) and value >= 0 or (isinstance(value, str) and int(value) >= 0)
    except (ValueError, InvalidOperation):
        return False


def name_split(name):
    """'Anna Maria Jensen' -> ('Anna Maria', 'Jensen'); one word -> (word, '')."""
    parts = str(name or "").split()
    if len(parts) < 2:
        return (parts[0] if parts else ""), ""
    return " ".join(parts[:-1]), parts[-1]


def address_of(info):
    address = info.get("address") if isinstance(info.get("address"), dict) else {}
    code = str(address.get("countryCode") or address.get("country") or "").upper()
    return {
        "address1": str(address.get("street") or ""),
        "city": str(address.get("city") or ""),
        "zip": str(address.get("postcode") or ""),
        "country": COUNTRY_NAMES.get(code, code),
        "countryCode": code,
    }


def customer_missing_fields(billing):
    """Which of the seed's customer fields the order lacks (logged; the import goes on with what it has)."""
    address = billing.get("address") if isinstance(billing.get("address"), dict) else {}
    missing = [k for k in ("name", "email", "phone") if not billing.get(k)]
    missing += [k for k in ("street", "postcode", "city", "countryCode") if not address.get(k)]
    return missing








def shipping_type_of(transfer):
    delivery = transfer.shipping.get("deliveryAddress") if isinstance(transfer.shipping, dict) else None
    return str((delivery or {}).get("type") or "") if isinstance(delivery, dict) else ""


def order_address(info, *, name=None, phone=None):
    """A billing or delivery block as the neutral OrderAddress."""
    address = address_of(info)
    first, last = name_split(info.get("name") if name is None else name)
    return OrderAddress(name=" ".join(p for p in (first, last) if p), first_name=first, last_name=last,
                        line1=address["address1"], city=address["city"], zip=address["zip"],
                        country=address["countryCode"], country_name=address["country"],
                        phone=str(info.get("phone") if phone is None else phone or ""))


def channel_order_of(*, transfer, reference, lines, unknown=(), shop_id, register_id, employee_id):
    """The transfer as a neutral ChannelOrder: an open sale of the matched (position, itemID) pairs; positions
    without a Lightspeed product ride along unmatched (listed on the ledger, never dropped)."""
    billing = transfer.billing
    first, last = name_split(billing.get("name"))
    customer = OrderCustomer(email=str(billing.get("email") or "").strip(), first_name=first, last_name=last,
                             phone=str(billing.get("phone") or ""), address=order_address(billing, phone=""))
    delivery = transfer.shipping.get("deliveryAddress") if isinstance(transfer.shipping, dict) else None
    delivery = delivery if isinstance(delivery, dict) else {}
    source = delivery if delivery.get("address") else billing
    ship_to = order_address(source, name=delivery.get("name") or billing.get("name"), phone=billing.get("phone"))
    order_lines = [OrderLine(item_ls_id=int(item_id), quantity=p.quantity, unit_price=p.unit_price, sku=p.gtin,
                             external_id=str(p.id)) for p, item_id in lines]
    order_lines += [OrderLine(item_ls_id=None, quantity=p.quantity, unit_price=p.unit_price, sku=p.gtin,
                              external_id=str(p.id)) for p in unknown]
    return ChannelOrder(reference=reference, lines=tuple(order_lines), shop_ls_id=int(shop_id),
                        register_ls_id=int(register_id), employee_ls_id=int(employee_id), customer=customer,
                        ship_to=ship_to, completed=False, reference_source=REFERENCE_SOURCE)


def reference_for(prefix, transfer_id):
    return f"{prefix}{transfer_id}"

