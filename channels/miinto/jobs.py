"""Miinto jobs (autodiscovered by connector.registry): orders in every 20 s, statuses back right after the
sales mirror saw the sale change (seed: a completed sale reaches Miinto within a minute), and the feed check."""
from datetime import timedelta

from connector.registry import register_job


@register_job("miinto.orders_import", interval=timedelta(seconds=20), min_interval=timedelta(seconds=10), queue="orders",
              title="Import Miinto orders into Lightspeed")
def orders_import_job(ctx):
    from .orders import orders_import  # keeps the Lightspeed client out of autodiscovery's import

    orders_import(ctx=ctx)


# Runs right after a sales-mirror poll that found changes; its own 5-minute interval only retries pushes.
@register_job("miinto.status_sync", interval=timedelta(minutes=5), min_interval=timedelta(seconds=10), queue="orders",
              follows=("lightspeed.sales_sync",), title="Send completed/voided sales to Miinto")
def status_sync_job(ctx):
    from .status import status_sync

    status_sync(ctx=ctx)


@register_job("miinto.feed_check", interval=timedelta(minutes=30), follows=("lightspeed.catalog_sync",),
              title="Build and check the Miinto product feed")
def feed_check_job(ctx):
    from .services import feed_check

    feed_check(ctx=ctx)
