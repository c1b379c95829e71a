"""Stock both ways (PROVISIONAL contract, docs/buckles.md).

In: a `stock.changed` event (absolute quantity) sets the qoh of the mapped shop in Lightspeed, unless it is
older than the change already applied (ignored) or Lightspeed moved since both sides last agreed (a conflict:
logged, not applied; the Lightspeed count goes to Buckles instead). Out: every linked item whose mirrored qoh
differs from the one both sides last agreed on goes to Buckles. What we wrote to Lightspeed is the agreed value,
so it is never reported back (no echo).
"""
from django.db import connection, transaction

from connector.errors import RecordError
from lightspeed.models import ItemStock

from .lightspeed_side import ls_qoh_set
from .mapping import parse_time, stock_decide, stock_line
from .models import BucklesEvent, BucklesLink, BucklesStock
from .selectors import item_for_product, shop_for_location, shop_locations

State = BucklesEvent.State
LOCK_SPACE = 0x6B6C  # pg advisory lock namespace of Buckles stock


def stock_event_apply(ctx, event):
    """One `stock.changed` event; returns (event state, note)."""
    stock_lock(ctx.tenant)  # the handler runs in a transaction (events.py)
    data = event.payload
    quantity = data.get("quantity")
    if not isinstance(quantity, int) or isinstance(quantity, bool):
        raise RecordError(f"stock.changed without an integer quantity: {quantity!r}")
    shop_ls_id = shop_for_location(ctx.tenant, data.get("location"))
    if shop_ls_id is None:
        return State.IGNORED, f"Buckles location {data.get('location')!r} is not mapped to a Lightspeed shop"
    item = item_for_product(ctx.tenant, sku=data.get("sku"), barcode=data.get("barcode"))
    if item is None:  # a product only Buckles has: never created in Lightspeed (seed: products go one way)
        return State.IGNORED, f"no Lightspeed item has SKU or barcode {data.get('sku') or data.get('barcode')}"
    stock = (ItemStock.objects.for_tenant(ctx.tenant).select_for_update().select_related("item")
             .filter(item=item, shop_ls_id=shop_ls_id).first())
    if stock is None:
        raise RecordError(f"item {item.ls_id} has no stock row in Lightspeed shop {shop_ls_id}")
    agreed, _ = BucklesStock.objects.for_tenant(ctx.tenant).select_for_update().get_or_create(
        tenant=ctx.tenant, item_ls_id=item.ls_id, shop_ls_id=shop_ls_id)
    occurred_at = event.occurred_at or parse_time(data.get("occurred_at"))
    decision = stock_decide(quantity=quantity, occurred_at=occurred_at, mirror_qoh=stock.qoh,
                            known_qoh=agreed.known_qoh, applied_at=agreed.buckles_at)
    if decision.action == "ignore":
        return State.IGNORED, decision.reason
    agreed.buckles_at = occurred_at or agreed.buckles_at
    if decision.action == "conflict":
        agreed.save(update_fields=["buckles_at", "updated_at"])
        ctx.warning(f"Stock conflict on item {item.ls_id} in shop {shop_ls_id}: {decision.reason}. Not applied; "
                    f"the Lightspeed count is sent to Buckles.", object_type="item", object_id=item.ls_id,
                    data={"buckles": quantity, "lightspeed": stock.qoh, "agreed": agreed.known_qoh})
        ctx.count("stock_conflicts")
        return State.CONFLICT, decision.reason
    if decision.action == "write":
        ls_qoh_set(tenant=ctx.tenant, stock=stock, qoh=quantity, clock=ctx.clock)
        agreed.written_qoh = quantity
        ctx.count("qoh_set")
    agreed.known_qoh = quantity
    agreed.save(update_fields=["known_qoh", "written_qoh", "buckles_at", "updated_at"])
    return State.DONE, "" if decision.action == "write" else "Lightspeed already had this quantity"


def stock_changes(tenant):
    """[(ItemStock, Buckles SKU, location)] of linked items in mapped shops whose qoh is not the agreed one."""
    locations = shop_locations(tenant)
    if not locations:
        return []
    skus = dict(BucklesLink.objects.for_tenant(tenant).filter(kind=BucklesLink.Kind.PRODUCT)
                .exclude(key="").values_list("ls_id", "key"))
    agreed = {(a, s): q for a, s, q in BucklesStock.objects.for_tenant(tenant)
              .values_list("item_ls_id", "shop_ls_id", "known_qoh")}
    rows = (ItemStock.objects.for_tenant(tenant).select_related("item")
            .filter(shop_ls_id__in=locations, item__ls_id__in=skus, item__archived=False).order_by("id"))
    return [(row, skus[row.item.ls_id], locations[row.shop_ls_id]) for row in rows
            if agreed.get((row.item.ls_id, row.shop_ls_id)) != row.qoh]


def stock_push(ctx, client):
    """Send the Lightspeed stock changes; a line Buckles rejects is logged on its item, the rest go on."""
    changes = stock_changes(ctx.tenant)
    if ctx.dry_run or not changes:
        ctx.count("stock_due", len(changes))
        return
    rejected = {r["index"]: r for r in client.stock_put(
        [stock_line(sku=sku, quantity=row.qoh, location=location) for row, sku, location in changes])}
    for index, (row, sku, _) in enumerate(changes):
        if index in rejected:
            ctx.record_failed("item", row.item.ls_id, f"Buckles refused the stock of SKU {sku}: "
                                                      f"{rejected[index].get('message')}")
            continue
        BucklesStock.objects.for_tenant(ctx.tenant).update_or_create(
            tenant=ctx.tenant, item_ls_id=row.item.ls_id, shop_ls_id=row.shop_ls_id,
            defaults={"known_qoh": row.qoh, "sent_qoh": row.qoh})
        ctx.count("stock_sent")


def stock_sync(*, ctx):
    from .client import buckles_client

    with buckles_client(ctx.tenant, clock=ctx.clock) as client, transaction.atomic():
        stock_lock(ctx.tenant)
        stock_push(ctx, client)


def stock_lock(tenant):
    """One writer of a tenant's agreed stock at a time (the push and the event handler), until commit.

    SQLite (the demo) has one worker and serialises writers itself, so there is nothing to take."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [LOCK_SPACE, tenant.pk])
