"""One ChannelOrder -> exactly one Lightspeed sale, whatever the network does (docs/orders.md).

Lightspeed has no idempotency key: the sale's referenceNumber, fixed once on the ledger row, is the key.
- Look the reference up before every POST, and again after every POST but an answered first one (with no
  earlier POST of ours, no other sale of ours can exist).
- After an ambiguous POST (no answer, 5xx, a crash while `sale_pending`) no new POST is sent until the
  settle window has passed and a lookup still finds nothing; the reconcile job keeps looking afterwards.
- A second sale of ours is archived when still open, flagged to support when completed: never silent.
- A sale is ours only if this ledger row made it: named in `sale_ids`, or, once we have POSTed, tagged
  with our source and not among the sales that carried the reference just before our first POST.
"""
from dataclasses import dataclass, replace
from decimal import Decimal

from connector.clock import system_clock
from connector.errors import RecordError
from connector.http import Invalid, RateLimited, Transient
from connector.orders import (DONE, State, ledger_attention, ledger_details_update, ledger_move, ledger_reference_fix,
                              ledger_sale_attempt, ledger_sale_recorded, ledger_watch)

from . import mirror
from . import resources as ls
from .channel_order import MAX_QUANTITY
from .costs import request_cost
from .models import Item, PaymentType
from .order_bodies import cents, customer_body, sale_body, sale_total
from .order_lookup import sale_ours_kept, sale_reconcile

MAX_UNIT_PRICE = Decimal("10000000")
SHIPPING_SKU = "CONNECTOR-SHIPPING"
TAX_SKU = "CONNECTOR-TAX"


class OrderRefused(RecordError):
    """The order cannot become a sale as it is; nothing was sent to Lightspeed."""


@dataclass
class SaleOutcome:
    sale_id: str | None
    status: str  # "created", "found", "done", "settling"
    extras: int = 0


def _quiet(level, message, **data):
    pass


def sale_from_order(client, order, *, ledger, clock, tenant, note=None):
    """The sale for this order, made at most once. `note(level, message, **data)` logs on the order."""
    note, clock = note or _quiet, clock or system_clock
    order = order_reference_kept(order, ledger, note)
    if ledger.state in DONE and ledger.sale_id:
        return SaleOutcome(ledger.sale_id, "done")
    if ledger.state == State.SALE_PENDING and ledger.pending_since and not ledger.watch_until:
        ledger_watch(ledger, now=clock.now())  # an earlier attempt ended unrecorded: a crash or a lost answer
    order_check(order)
    unmatched_list(ledger, order, note)
    customer_id = customer_for_order(client, order, ledger=ledger, note=note)
    found, carrying = sale_ours_kept(client, ledger, order.reference)
    if found is not None:
        sale_recorded(ledger, found)
        note("info", f"Lightspeed sale {found.sale_id} found (created by an earlier attempt) with reference "
                     f"{order.reference}")
        return SaleOutcome(str(found.sale_id), "found", sale_reconcile(client, ledger, note=note))
    now = clock.now()
    if ledger.settle_after and now < ledger.settle_after:
        if ledger.details.get("settle_noted") != ledger.settle_after.isoformat():  # once per window, not every run
            ledger_details_update(ledger, settle_noted=ledger.settle_after.isoformat())
            note("info", f"an earlier attempt to create sale {order.reference} got no clear answer: no new attempt "
                         f"before {ledger.settle_after:%H:%M:%S} UTC (settle window), while lookups find nothing")
        return SaleOutcome(None, "settling")
    body = sale_body(order, customer_id=customer_id, payment_type_ids=payment_type_ids(client, order, tenant),
                     shipping_item_id=order.shipping and charge_item_id(client, tenant, SHIPPING_SKU, "Shipping"),
                     tax_item_id=order.tax and charge_item_id(client, tenant, TAX_SKU, "Sales tax (web order)"))
    cost_check(client, order, body)
    return sale_post(client, order, body, ledger=ledger, now=now, note=note, carrying=carrying)


def order_reference_kept(order, ledger, note):
    """The reference fixed on the ledger the first time wins over what the channel's settings give now."""
    reference = ledger_reference_fix(ledger, order.reference)
    source = ledger.details.get("reference_source")
    if source is None:
        ledger_details_update(ledger, reference_source=order.reference_source)
        source = order.reference_source
    if reference != order.reference:
        note("info", f"reference {reference} kept from the first attempt (the settings now give {order.reference})")
    return replace(order, reference=reference, reference_source=source)


def order_check(order):
    """Refuse, before anything is sent, an order no sale can be made of as it is."""
    if not order.matched_lines:
        raise OrderRefused(f"order {order.reference} has no line with a Lightspeed item")
    for line in order.lines:
        label = line.external_id or line.sku or line.item_ls_id
        if not isinstance(line.quantity, int) or not 0 < line.quantity <= MAX_QUANTITY:
            raise OrderRefused(f"order {order.reference}: line {label} has quantity {line.quantity} "
                               f"(must be 1 to {MAX_QUANTITY})")
        if not Decimal(0) <= line.unit_price <= MAX_UNIT_PRICE:
            raise OrderRefused(f"order {order.reference}: line {label} has unit price {line.unit_price}")
    if not Decimal(0) <= order.discount <= order.matched_subtotal or (order.tax or 0) < 0:
        raise OrderRefused(f"order {order.reference}: discount {order.discount} or tax {order.tax} is out of range "
                           f"(the discount must be 0 to the lines' total {order.matched_subtotal}, the tax 0 or "
                           f"more)")
    if order.completed:
        paid = cents(sum((p.amount for p in order.payments), Decimal(0)))
        total = cents(sale_total(order))
        if not order.payments or paid != total:
            raise OrderRefused(f"order {order.reference}: payments {paid} do not balance the sale total {total} to "
                               f"the cent (Lightspeed refuses a completed sale that does not balance)")


def unmatched_list(ledger, order, note):
    """Lines without a Lightspeed item are never dropped: on the row's details and its attention list."""
    unmatched = order.unmatched_lines
    if not unmatched or ledger.details.get("unmatched_lines"):
        return
    listed = [{"external_id": line.external_id, "sku": line.sku, "title": line.title, "quantity": line.quantity,
               "unit_price": str(line.unit_price)} for line in unmatched]
    ledger_details_update(ledger, unmatched_lines=listed)
    names = ", ".join(line.sku or line.external_id or line.title or "?" for line in unmatched)
    ledger_attention(ledger, f"{len(unmatched)} line(s) without a Lightspeed item, not on the sale: {names}")
    note("warning", f"{len(unmatched)} line(s) without a Lightspeed item are not on the sale: {names}")


# -- customer, payment types, shipping ------------------------------------------------------------------

def customer_for_order(client, order, *, ledger, note):
    """The customer found by email before any create; remembered on the ledger (CUSTOMER_READY)."""
    if ledger.customer_id:
        return int(ledger.customer_id)
    if ledger.state == State.SALE_PENDING:
        return None  # decided before the first POST; the body must not change between attempts
    email = (order.customer.email if order.customer else "").strip()
    if not email:
        note("warning", "no customer email: the sale is created without a Lightspeed customer")
        ledger_move(ledger, State.CUSTOMER_READY)
        return None
    customer = ls.customer_find(client, email=email)
    if customer is None:
        customer = customer_create_once(client, email=email, body=customer_body(order.customer))
        note("info", f"Lightspeed customer {customer.customer_id} created for {email}")
    ledger_move(ledger, State.CUSTOMER_READY, customer_id=str(customer.customer_id))
    return customer.customer_id


def customer_create_once(client, *, email, body):
    try:
        return ls.customer_create(client, body)
    except Transient:  # the customer may exist although the answer was lost
        found = ls.customer_find(client, email=email)
        if found is None:
            raise
        return found


def payment_type_ids(client, order, tenant):
    """Method name -> paymentTypeID: the mirror, then the API (made since the last sync), then created."""
    ids = {}
    for name in {p.method for p in order.payments} if order.completed else ():
        mirrored = PaymentType.objects.for_tenant(tenant).filter(name__iexact=name, archived=False).first()
        if mirrored is not None:
            ids[name] = int(mirrored.ls_id)
            continue
        raw = ls.payment_type_find(client, name=name) or ls.payment_type_create(client, name=name)
        mirror.reference_upsert(tenant=tenant, resource="PaymentType", rows=[raw])  # the next order finds it here
        ids[name] = int(raw["paymentTypeID"])
    return ids


def charge_item_id(client, tenant, custom_sku, description):
    """INFERENCE (channels-deep §5): shipping, and a channel's own tax, are lines of a non-inventory item found by
    its custom SKU (mirror, then API) or created once; its price on each sale is the order's charge."""
    mirrored = Item.objects.for_tenant(tenant).filter(custom_sku=custom_sku, archived=False).first()
    if mirrored is not None:
        return int(mirrored.ls_id)
    found = ls.item_find_by_custom_sku(client, custom_sku)
    if found is None:
        found = ls.item_create(client, {"description": description, "customSku": custom_sku,
                                        "itemType": "non_inventory", "tax": False,
                                        "Prices": {"ItemPrice": [{"amount": "0", "useTypeID": 1}]}})
    mirror.items_upsert(tenant=tenant, records=[found], lookups=mirror.CatalogLookups(tenant), with_stock=False)
    return found.item_id


# -- the sale body and its cost ----------------------------------------------------------------------------


def cost_check(client, order, body):
    """A sale costing more than the whole bucket would block the account (10,000 lines: 5,004 drips, ~85 min
    at 1 drip/s): refused before it is sent. Lines are not split over POST /Sale/{id}/SaleLine (docs/orders.md)."""
    cost = request_cost("POST", client.url_for("Sale"), body=body)
    size = client.limiter.size
    if cost > size:
        raise OrderRefused(f"order {order.reference} is too large for one Lightspeed sale: it would cost {cost:g} "
                           f"drips, more than the account's whole rate-limit bucket ({size:g}), and block every "
                           f"other call for about {int(cost - size)} s. Split it into smaller sales by hand")


# -- the POST, the lookups, the reconcile --------------------------------------------------------------------

def sale_post(client, order, body, *, ledger, now, note, carrying):
    """`carrying`: the sales the lookup just found with this reference (before our first POST: not ours)."""
    first = ledger.pending_since is None
    foreign = [s.sale_id for s in carrying] if first else None
    if foreign:
        ledger_attention(ledger, f"Lightspeed sales {foreign} already carry reference {order.reference} but were "
                                 f"not made by this order: left alone")
        note("warning", f"sales {foreign} already carry reference {order.reference}, not made by this order")
    ledger_sale_attempt(ledger, now=now, extra_details={"foreign_sale_ids": foreign} if first else None)
    try:
        sale = ls.sale_create(client, body)
    except (Invalid, RateLimited) as exc:  # answered: nothing was made, the next attempt need not wait
        ledger.settle_after = None
        ledger.save(update_fields=["settle_after", "updated_at"])
        raise exc
    except Transient as exc:  # no answer, or a 5xx: the sale may exist now, or land later
        ledger_watch(ledger, now=now)
        return sale_ambiguous(client, order, ledger=ledger, note=note, error=exc)
    sale_recorded(ledger, sale)
    note("info", f"{'completed' if order.completed else 'open'} Lightspeed sale {sale.sale_id} created with "
                 f"reference {order.reference}", lines=len(order.matched_lines))
    return SaleOutcome(str(sale.sale_id), "created", 0 if first else sale_reconcile(client, ledger, note=note))


def sale_ambiguous(client, order, *, ledger, note, error):
    ledger_details_update(ledger, ambiguous=int(ledger.details.get("ambiguous") or 0) + 1)
    found, _ = sale_ours_kept(client, ledger, order.reference)  # a lookup failing here fails the run (transient)
    if found is not None:
        sale_recorded(ledger, found)
        note("info", f"Lightspeed sale {found.sale_id} found after a lost answer, with reference {order.reference}")
        return SaleOutcome(str(found.sale_id), "created", sale_reconcile(client, ledger, note=note))
    note("warning", f"creating sale {order.reference} got no clear answer ({error}); it is looked up again, and "
                    f"no new attempt is made before {ledger.settle_after:%H:%M:%S} UTC")
    return SaleOutcome(None, "settling")


def sale_recorded(ledger, sale):
    ledger_sale_recorded(ledger, sale.sale_id)
    ledger_details_update(ledger, sale_time=sale.timestamp.isoformat() if sale.timestamp else None)


