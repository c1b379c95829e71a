"""Lightspeed jobs: thin wrappers that open the client and call the sync service."""
from datetime import timedelta

from connector.clock import system_clock
from connector.orders import ledgers_watched
from connector.registry import register_job

from . import order_lookup, sales_mirror, sync
from .client import lightspeed_client

@register_job("lightspeed.reference_sync", interval=timedelta(hours=1),
              title="Lightspeed: shops, registers, employees, price levels, payment types, categories")
def reference_sync(ctx):
    with lightspeed_client(ctx.tenant, clock=ctx.clock) as client:
        sync.reference_sync(ctx=ctx, client=client)


@register_job("lightspeed.catalog_sync", interval=timedelta(minutes=5), can_yield=True,
              title="Lightspeed: items, prices and stock")
def catalog_sync(ctx):
    with lightspeed_client(ctx.tenant, clock=ctx.clock, yield_after=ctx.yield_after) as client:
        sync.catalog_sync(ctx=ctx, client=client)


# Every 25 s on the orders queue: the orders promise is "within a minute", 30 s at p95; an empty poll (1 drip)
# then costs 4 % of a one-register bucket, inside the 5 % budget with room for measurement; 10 s, the lowest an
# owner can set, costs 10 %. 25 s is on the scheduler's 5 s tick grid, so the cadence has no jitter. Jobs
# declared with follows=("lightspeed.sales_sync",) run right after a poll that wrote something.
@register_job("lightspeed.sales_sync", interval=timedelta(seconds=25), min_interval=timedelta(seconds=10),
              queue="orders", title="Lightspeed: sales mirror (completed, voided, refunded)")
def sales_sync(ctx):
    with lightspeed_client(ctx.tenant, clock=ctx.clock) as client:
        sales_mirror.sales_sync(ctx=ctx, client=client)


@register_job("lightspeed.orders_reconcile", interval=timedelta(minutes=5), queue="orders",
              title="Lightspeed: look imported orders up again (a late request must not leave a second sale)")
def orders_reconcile(ctx):
    watched = ledgers_watched(ctx.tenant, now=(ctx.clock or system_clock).now())
    if not watched:
        return  # no API call, and no Lightspeed connection needed
    with lightspeed_client(ctx.tenant, clock=ctx.clock) as client:
        order_lookup.orders_reconcile(ctx=ctx, client=client, ledgers=watched)
