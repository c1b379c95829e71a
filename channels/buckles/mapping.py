"""Pure functions: Lightspeed mirror rows -> Buckles bodies, and Buckles events -> what to do in Lightspeed.

The bodies are the PROVISIONAL contract of docs/buckles.md §Contract (ours, Buckles publishes no API).
"""
import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timezone
from decimal import Decimal

from . import statuses

CENT = Decimal("0.01")


def money(value):
    return str(Decimal(value or 0).quantize(CENT))


def iso(moment):
    return moment.astimezone(timezone.utc).isoformat().replace("+00:00", "Z") if moment else None


def parse_time(value):
    """An ISO-8601 time (a trailing Z allowed) as aware UTC, or None."""
    if not value or not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def body_hash(body):
    return hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode()).hexdigest()


# --- orders ----------------------------------------------------------------------------------------

def sale_state(sale, ship_to=None):
    """The Lightspeed state of a mirrored sale (statuses.LIGHTSPEED_STATES)."""
    if sale.voided:
        return statuses.VOIDED
    if sale.is_refund:
        return statuses.REFUNDED
    if not sale.completed:
        return statuses.OPEN
    if ship_to is None:
        return statuses.COMPLETED
    return statuses.SHIPPED if ship_to.shipped else statuses.AWAITING_SHIPMENT


def item_sku(item):
    """The SKU Buckles knows an item by: the custom SKU, else Lightspeed's system SKU."""
    return (item.custom_sku or item.system_sku or "").strip() if item else ""


def item_barcode(item):
    return (item.ean or item.upc or "").strip() if item else ""


def payment_status(sale, payments):
    paid = sum((p.amount for p in payments), Decimal(0))
    if sale.is_refund:
        return "refunded"
    if paid >= sale.total and sale.total:
        return "paid"
    return "partially_paid" if paid else "unpaid"


def customer_body(customer):
    if customer is None:
        return None
    return {"external_id": str(customer.ls_id), "email": customer.email or None, "first_name": customer.first_name,
            "last_name": customer.last_name, "phone": customer.phone or None}


def address_body(ship_to):
    if ship_to is None:
        return None
    address = ship_to.address or {}
    return {"first_name": ship_to.first_name, "last_name": ship_to.last_name, "company": ship_to.company,
            **{k: address.get(k, "") for k in ("address1", "address2", "city", "state", "zip", "country")}}


def order_body(*, sale, lines, payments, items, customer, ship_to, status, currency):
    """The PUT /v1/orders/{source}/{saleID} body. `items` is {itemID: Item}."""
    return {
        "created_at": iso(sale.complete_time or sale.create_time),
        "status": status,
        "payment_status": payment_status(sale, payments),
        "currency": currency,
        "customer": customer_body(customer),
        "billing_address": None,
        "shipping_address": address_body(ship_to),
        "lines": [{"sku": item_sku(items.get(line.item_ls_id)) or f"ls-item-{line.item_ls_id}",
                   "barcode": item_barcode(items.get(line.item_ls_id)) or None, "quantity": line.quantity,
                   "unit_price": money(line.unit_price), "discount": money(line.discount)}
                  for line in sorted(lines, key=lambda line: line.ls_id)],
        "shipping": {"preference": None, "cost": money(0)},
        "totals": {"subtotal": money(sale.subtotal), "tax": money(sale.tax), "total": money(sale.total)},
        "reference": sale.ticket_number or sale.reference_number or None,
    }


# --- stock -----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class StockDecision:
    action: str  # "write" | "ignore" | "conflict" | "same"
    reason: str = ""


def stock_decide(*, quantity, occurred_at, mirror_qoh, known_qoh, applied_at):
    """What a Buckles `stock.changed` (absolute quantity) does to the Lightspeed qoh.

    - older than the Buckles change we applied last: ignored (out of order);
    - Lightspeed moved since both sides last agreed (mirror != known) and Buckles says otherwise: a conflict,
      logged and not applied (the Lightspeed count is sent to Buckles instead);
    - already the Lightspeed qoh: nothing to write;
    - else: write it.
    """
    if applied_at and occurred_at and occurred_at <= applied_at:
        return StockDecision("ignore", f"older than the Buckles change of {iso(applied_at)} already applied")
    if mirror_qoh == quantity:
        return StockDecision("same")
    if known_qoh is not None and mirror_qoh is not None and mirror_qoh != known_qoh:
        return StockDecision("conflict", f"Lightspeed changed from {known_qoh} to {mirror_qoh} since the last sync, "
                                         f"Buckles says {quantity}")
    return StockDecision("write")


def stock_line(*, sku, quantity, location):
    return {"sku": sku, "location": location or None, "quantity": int(quantity)}


# --- products, customers, checkouts, shipments ---------------------------------------------------------

def product_body(item, price):
    return {"sku": item_sku(item), "barcode": item_barcode(item) or None, "title": item.description,
            "price": money(price) if price is not None else None, "variant_of": (str(item.item_matrix_ls_id)
                                                                                 if item.item_matrix_ls_id else None)}


def customer_put_body(customer):
    return {"email": customer.email or None, "first_name": customer.first_name, "last_name": customer.last_name,
            "phone": customer.phone or None, "company": customer.company or None, "addresses": []}


def checkout_body(*, sale, lines, items, customer):
    return {"external_id": str(sale.ls_id), "updated_at": iso(sale.ls_timestamp or sale.create_time),
            "customer_email": (customer.email or None) if customer else None,
            "lines": [{"sku": item_sku(items.get(line.item_ls_id)) or f"ls-item-{line.item_ls_id}",
                       "quantity": line.quantity, "unit_price": money(line.unit_price)} for line in lines],
            "total": money(sale.total)}


TRACK_PREFIX = "Track & Trace: "


def ship_note(*, track_trace_no, carrier=None, url=None):
    """The ShipTo shipNote carrying a Buckles shipment (R-Series has no tracking field)."""
    note = f"{TRACK_PREFIX}{track_trace_no}"
    if carrier:
        note += f" ({carrier})"
    if url:
        note += f" {url}"
    return note


def track_trace_from_note(note):
    """The code of a shipNote we or the shop wrote as "Track & Trace: CODE (...)", else the note's first word."""
    text = (note or "").strip()
    if text.startswith(TRACK_PREFIX):
        text = text[len(TRACK_PREFIX):]
    return text.split(" ", 1)[0] if text else None


def shipment_body(*, ship_to, shipped_at):
    return {"shipped_at": iso(shipped_at), "carrier": None, "method": None,
            "track_trace_no": track_trace_from_note(ship_to.ship_note), "lines": None}
