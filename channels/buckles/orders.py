"""Lightspeed sales -> Buckles orders, from the sales mirror (PROVISIONAL contract, docs/buckles.md).

Every sale of a mapped shop is PUT to /v1/orders/{source}/{saleID}: an upsert by natural key, so a resend
after a dropped response, a 5xx or a timeout updates the same order and never makes a second one. A sale is
sent again only when its body changes (the hash of what was sent is kept). A row is locked while its sale is
pushed (SKIP LOCKED), so two runs at once never push the same sale twice. A state the owner's table maps to
nothing is not sent: logged on the sale and mailed to the owners, once a day per state.

Which sales: completed ones (and what happens to them: shipped, voided, refunded), and open ones with a
payment (a deposit or layaway is an order; an open sale with nothing paid is a checkout, see checkouts.py).
"""
from datetime import timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from connector.http import Invalid
from connector.models import SyncCursor
from lightspeed.models import Customer, Item, Sale

from . import statuses
from .client import buckles_client
from .mapping import body_hash, order_body, sale_state, shipment_body
from .models import BucklesOrder
from .notify import owners_notify_once
from .selectors import buckles_settings_get, shop_locations

CURSOR = "buckles.orders"
OVERLAP = timedelta(minutes=2)  # the mirror may commit sales out of order; the hash makes re-reads free
BATCH = 200


def orders_sync(*, ctx):
    settings = buckles_settings_get(ctx.tenant)
    shops = shop_locations(ctx.tenant)
    if settings is None or not shops:
        ctx.info("no Lightspeed shop is mapped to Buckles yet: nothing to send")
        return
    sales, high_water = sales_due(ctx.tenant, shops)
    with buckles_client(ctx.tenant, clock=ctx.clock) as client:
        for sale in sales:
            with ctx.record("sale", sale.ls_id):
                sale_push(ctx, client, settings, sale)
    if high_water and not ctx.dry_run:
        SyncCursor.objects.for_tenant(ctx.tenant).update_or_create(
            tenant=ctx.tenant, name=CURSOR, defaults={"value": high_water})
    if len(sales) >= BATCH:
        ctx.run_again()


def sales_due(tenant, shops):
    """Sales of mapped shops the mirror wrote since the cursor (minus an overlap) and not handled since, the ones
    whose push failed, and the new cursor."""
    cursor = SyncCursor.objects.for_tenant(tenant).filter(name=CURSOR).values_list("value", flat=True).first()
    rows = Sale.objects.for_tenant(tenant).filter(shop_ls_id__in=shops)
    if cursor:
        since = cursor - OVERLAP
        rows = rows.filter(Q(synced_at__gte=since) | Q(ls_timestamp__gte=since) | Q(ship_to__ls_timestamp__gte=since))
        # handled already: pushed (or found unchanged) after the mirror last wrote this sale
        handled = BucklesOrder.objects.for_tenant(tenant).filter(
            sale_ls_id=OuterRef("ls_id"), checked_at__gte=OuterRef("synced_at"), last_error="")
        rows = rows.exclude(Exists(handled))
    failed = BucklesOrder.objects.for_tenant(tenant).exclude(last_error="").values_list("sale_ls_id", flat=True)
    rows = (rows | Sale.objects.for_tenant(tenant).filter(shop_ls_id__in=shops, ls_id__in=list(failed[:BATCH])))
    sales = list(rows.distinct().select_related("ship_to").prefetch_related("lines", "payments")
                 .order_by("synced_at", "ls_id")[:BATCH])
    high_water = max((s.synced_at for s in sales), default=None)
    return sales, high_water


def sale_wanted(sale, payments):
    """Completed sales, and open ones with money on them; an open sale voided before completion is dropped."""
    if sale.completed or sale.is_refund:
        return True
    return bool(payments) and not sale.voided


def sale_body(tenant, settings, sale):
    """(state, status or None, body or None) for one mirrored sale."""
    ship_to = getattr(sale, "ship_to", None)
    lines, payments = list(sale.lines.all()), list(sale.payments.all())
    state = sale_state(sale, ship_to)
    status = statuses.status_for(state, settings.status_map)
    if status is None:
        return state, None, None
    items = {i.ls_id: i for i in Item.objects.for_tenant(tenant).filter(ls_id__in={ln.item_ls_id for ln in lines})}
    customer = (Customer.objects.for_tenant(tenant).filter(ls_id=sale.customer_ls_id).first()
                if sale.customer_ls_id else None)
    body = order_body(sale=sale, lines=lines, payments=payments, items=items, customer=customer, ship_to=ship_to,
                      status=status, currency=settings.currency)
    return state, status, body


def sale_push(ctx, client, settings, sale):
    if not sale_wanted(sale, list(sale.payments.all())):
        return
    try:
        _sale_push_locked(ctx, client, settings, sale)
    except Invalid as exc:  # Buckles refused this order's body: logged on it, retried when it changes
        message = f"Buckles refused sale {sale.ls_id}: {exc}"
        BucklesOrder.objects.for_tenant(ctx.tenant).filter(sale_ls_id=sale.ls_id).update(last_error=message[:2000])
        ctx.record_failed("sale", sale.ls_id, message)


def _sale_push_locked(ctx, client, settings, sale):
    BucklesOrder.objects.for_tenant(ctx.tenant).get_or_create(tenant=ctx.tenant, sale_ls_id=sale.ls_id)
    with transaction.atomic():
        row = (BucklesOrder.objects.for_tenant(ctx.tenant).select_for_update(skip_locked=True)
               .filter(sale_ls_id=sale.ls_id).first())
        if row is None:  # another run is pushing this sale right now
            ctx.count("orders_busy")
            return
        state, status, body = sale_body(ctx.tenant, settings, sale)
        if body is None:
            _unmapped(ctx, row, sale, state)
            return
        digest = body_hash(body)
        if digest != row.payload_hash:
            _put(ctx, client, settings, row, sale, body, digest, status)
        if not ctx.dry_run:
            # the version of the sale read (not "now"): a mirror write after our read is read again
            BucklesOrder.objects.for_tenant(ctx.tenant).filter(pk=row.pk).update(checked_at=sale.synced_at)
        if state == statuses.SHIPPED and not row.shipment_sent:
            _shipment_send(ctx, client, settings, row, sale)


def _put(ctx, client, settings, row, sale, body, digest, status):
    if ctx.dry_run:
        ctx.count("orders_due")
        return
    answer = client.order_put(settings.source, sale.ls_id, body)
    now = timezone.now()
    row.status, row.payload_hash, row.buckles_id = status, digest, str(answer.get("id") or row.buckles_id)
    row.pushes += 1
    row.first_sent_at, row.sent_at, row.last_error = row.first_sent_at or now, now, ""
    row.save()
    ctx.count("orders_sent")


def _shipment_send(ctx, client, settings, row, sale):
    """A ShipTo marked shipped in Lightspeed (by hand: one Buckles told us about is already flagged)."""
    if ctx.dry_run:
        ctx.count("shipments_due")
        return
    shipped_at = sale.ship_to.ls_timestamp or sale.complete_time or timezone.now()
    client.shipment_create(settings.source, sale.ls_id, shipment_body(ship_to=sale.ship_to, shipped_at=shipped_at),
                           key=f"ls-shipment-{ctx.tenant.pk}-{sale.ls_id}")
    row.shipment_sent = True
    row.save(update_fields=["shipment_sent", "updated_at"])
    ctx.count("shipments_sent")


def _unmapped(ctx, row, sale, state):
    message = (f"Sale {sale.ls_id} is “{statuses.LIGHTSPEED_STATES.get(state, state)}”, which the Buckles status "
               f"table maps to no Buckles status: it was not sent. Choose a status for it on the Buckles page.")
    ctx.warning(message, object_type="sale", object_id=sale.ls_id, data={"state": state})
    ctx.count("orders_unmapped")
    if not ctx.dry_run:
        row.last_error = message
        row.save(update_fields=["last_error", "updated_at"])
        owners_notify_once(tenant=ctx.tenant, key=f"unmapped:{state}",
                           subject=f"Buckles: Lightspeed state “{state}” has no Buckles status", body=message)
