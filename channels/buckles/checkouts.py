"""Checkouts every 15 minutes (seed). R-Series has no checkouts: the nearest equivalent is an open sale with
nothing paid yet (a cart at the register or a saved quote's sale), so those are sent, in one batch, with an
Idempotency-Key that is the hash of the batch (the same batch twice is one checkout update in Buckles).
Open sales with a payment are orders (orders.py). PROVISIONAL contract, docs/buckles.md.
"""
from datetime import timedelta

from django.utils import timezone

from lightspeed.models import Customer, Item, Sale

from .client import buckles_client
from .mapping import body_hash, checkout_body
from .models import BucklesSettings
from .selectors import shop_locations

RECENT = timedelta(days=30)
BATCH = 100


def checkouts_due(tenant):
    shops = shop_locations(tenant)
    sales = list(Sale.objects.for_tenant(tenant)
                 .filter(shop_ls_id__in=shops, completed=False, voided=False, archived=False, payments__isnull=True,
                         create_time__gte=timezone.now() - RECENT)
                 .prefetch_related("lines").order_by("ls_id")[:BATCH])
    items = {i.ls_id: i for i in Item.objects.for_tenant(tenant).filter(
        ls_id__in={line.item_ls_id for s in sales for line in s.lines.all()})}
    customers = {c.ls_id: c for c in Customer.objects.for_tenant(tenant).filter(
        ls_id__in={s.customer_ls_id for s in sales if s.customer_ls_id})}
    return [checkout_body(sale=s, lines=list(s.lines.all()), items=items, customer=customers.get(s.customer_ls_id))
            for s in sales if s.lines.all()]


def checkouts_sync(*, ctx):
    settings = BucklesSettings.objects.for_tenant(ctx.tenant).first()
    if settings is None or not settings.sync_checkouts:
        return
    checkouts = checkouts_due(ctx.tenant)
    if ctx.dry_run or not checkouts:
        ctx.count("checkouts_due", len(checkouts))
        return
    with buckles_client(ctx.tenant, clock=ctx.clock) as client:
        client.checkouts_batch(checkouts, key=f"checkouts-{ctx.tenant.pk}-{body_hash(checkouts)[:32]}")
    ctx.count("checkouts_sent", len(checkouts))
