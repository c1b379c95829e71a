"""SmartEtailing jobs (autodiscovered by connector.registry): orders every minute (the seed: "within a few
minutes"), and the inventory files every 5 minutes and right after a catalog sync that found changes (a
changed item reaches SmartEtailing within 5 minutes; an unchanged file is sent again every 30 minutes as a
safety net, see upload.py)."""
from datetime import timedelta

from connector.registry import register_job


@register_job("smartetailing.orders_import", interval=timedelta(minutes=1), min_interval=timedelta(seconds=20),
              queue="orders", title="Export paid SmartEtailing orders into Lightspeed")
def orders_import_job(ctx):
    from .orders import orders_import  # keeps the clients out of autodiscovery's import

    orders_import(ctx=ctx)


@register_job("smartetailing.inventory_upload", interval=timedelta(minutes=5), min_interval=timedelta(minutes=1),
              follows=("lightspeed.catalog_sync",), title="Upload inventory and prices to SmartEtailing")
def inventory_upload_job(ctx):
    from .upload import inventory_upload

    inventory_upload(ctx=ctx)
