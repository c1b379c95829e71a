"""Miinto jobs (autodiscovered by connector.registry): orders in and statuses back every minute
(seed: a completed sale reaches Miinto within a minute); the feed check lives in jobs_feed."""
from datetime import timedelta

from connector.channels import Channel, register_channel
from connector.registry import register_job

from . import jobs_feed  # noqa: F401  miinto.feed_check

register_channel(Channel(
    key="miinto",
    title="Miinto",
    description="Product and stock feed for Miinto, and Miinto orders into Lightspeed as open sales.",
    primary_job="miinto.orders_import",
    switch_hook="channels.miinto.web_hooks.miinto_switch",
    page="miinto_settings",
))


@register_job("miinto.orders_import", interval=timedelta(seconds=20), min_interval=timedelta(seconds=10), queue="orders",
              title="Import Miinto orders into Lightspeed")
def orders_import_job(ctx):
    from .orders import orders_import  # keeps the Lightspeed client out of autodiscovery's import

    orders_import(ctx=ctx)


@register_job("miinto.status_sync", interval=timedelta(seconds=20), min_interval=timedelta(seconds=10), queue="orders",
              title="Send completed/voided sales to Miinto")
def status_sync_job(ctx):
    from .status import status_sync

    status_sync(ctx=ctx)
