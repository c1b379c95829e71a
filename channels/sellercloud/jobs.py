"""Sellercloud jobs (autodiscovered by connector.registry): completed sales out every 20 s and right after a
sales-mirror poll that found changes (within a minute of completion), and stock, prices, costs and new
products in every 5 minutes."""
from datetime import timedelta

from connector.registry import register_job


@register_job("sellercloud.orders_download", interval=timedelta(seconds=20), min_interval=timedelta(seconds=10),
              queue="orders", follows=("lightspeed.sales_sync",),
              title="Send completed Lightspeed sales to Sellercloud")
def orders_download_job(ctx):
    from .orders import orders_download  # keeps the clients out of autodiscovery's import

    orders_download(ctx=ctx)


@register_job("sellercloud.inventory_upload", interval=timedelta(minutes=5), can_yield=True,
              title="Take stock, prices, costs and new products from Sellercloud into Lightspeed")
def inventory_upload_job(ctx):
    from .inventory import inventory_upload

    inventory_upload(ctx=ctx)
