"""Lightspeed jobs: thin wrappers that open the client and call the sync service."""
from datetime import timedelta

from connector.registry import register_job

from . import sync
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
