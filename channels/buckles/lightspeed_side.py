"""The Lightspeed writes Buckles events need (qoh, ShipTo shipped + shipNote, customer), through the shared
lightspeed.writes, and the mirror update that follows each, so the next comparison sees what we wrote (no echo
back to Buckles). Each write is absolute (qoh = n, shipped = true, a field = a value): repeating it changes nothing.
"""
from lightspeed import writes
from lightspeed.client import lightspeed_client
from django.utils import timezone

from lightspeed.models import Customer, ItemStock, Sale, ShipTo


def ls_qoh_set(*, tenant, stock, qoh, clock=None):
    """Set the qoh of one mirrored ItemStock row (an item in a shop) in Lightspeed, then in the mirror."""
    with lightspeed_client(tenant, clock=clock) as client:
        writes.item_stock_set(client, stock.item.ls_id, {stock.shop_ls_id: qoh})
    ItemStock.objects.for_tenant(tenant).filter(pk=stock.pk).update(qoh=qoh)


def ls_ship_to_shipped(*, tenant, ship_to, note, clock=None):
    """Mark a sale's ShipTo shipped with this shipNote (writable nested in Sale PUT only; the address is kept)."""
    with lightspeed_client(tenant, clock=clock) as client:
        writes.sale_ship_to_set(client, ship_to.sale.ls_id, shipped=True, ship_note=note)
    ShipTo.objects.for_tenant(tenant).filter(pk=ship_to.pk).update(shipped=True, ship_note=note)
    # the sale's state moved (shipped): the orders push reads it again
    Sale.objects.for_tenant(tenant).filter(pk=ship_to.sale_id).update(synced_at=timezone.now())


def ls_customer_update(*, tenant, customer, fields, clock=None):
    """Change a Lightspeed customer's names/phone (email is the match key, never changed from Buckles)."""
    with lightspeed_client(tenant, clock=clock) as client:
        writes.customer_update(client, customer.ls_id, **fields)
    Customer.objects.for_tenant(tenant).filter(pk=customer.pk).update(**fields)
