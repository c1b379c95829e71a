"""Buckles jobs (autodiscovered by connector.registry). Near real time: sales every 10 s (seed: a completed
sale reaches Buckles within 30 s, read from the sales mirror at no Lightspeed cost), events applied as they
arrive (queued by the webhook) and polled every 30 s as the fallback; stock every 30 s; products and customers
every 5 min; checkouts every 15 min (seed)."""
from datetime import timedelta

from connector.registry import register_job


@register_job("buckles.orders_push", interval=timedelta(seconds=10), min_interval=timedelta(seconds=5),
              queue="orders", title="Send Lightspeed sales and shipments to Buckles")
def orders_push_job(ctx):
    from .orders import orders_sync

    orders_sync(ctx=ctx)


@register_job("buckles.events_apply", interval=timedelta(seconds=30), min_interval=timedelta(seconds=5),
              queue="orders", title="Apply Buckles events (stock, shipments, customers) in Lightspeed")
def events_apply_job(ctx):
    from .events import events_sync

    events_sync(ctx=ctx)


@register_job("buckles.stock_push", interval=timedelta(seconds=30), min_interval=timedelta(seconds=10),
              queue="orders", title="Send Lightspeed stock changes to Buckles")
def stock_push_job(ctx):
    from .stock import stock_sync

    stock_sync(ctx=ctx)


@register_job("buckles.products_push", interval=timedelta(minutes=5), title="Send new and changed products to Buckles")
def products_push_job(ctx):
    from .products import products_sync

    products_sync(ctx=ctx)


@register_job("buckles.customers_push", interval=timedelta(minutes=5), title="Send Lightspeed customers to Buckles")
def customers_push_job(ctx):
    from .customers import customers_sync

    customers_sync(ctx=ctx)


@register_job("buckles.checkouts_push", interval=timedelta(minutes=15), title="Send checkouts (open sales) to Buckles")
def checkouts_push_job(ctx):
    from .checkouts import checkouts_sync

    checkouts_sync(ctx=ctx)
