"""The Lightspeed writes Buckles events need (qoh, ShipTo shipped + shipNote, customer), and the mirror
update that follows each, so the next comparison sees what we wrote (no echo back to Buckles).

Each write is absolute (set qoh to n, shipped true, a field to a value): repeating it changes nothing.
"""
from lightspeed.client import lightspeed_client
from lightspeed.models import Customer, ItemStock, ShipTo


def ls_qoh_set(*, tenant, stock, qoh, clock=None):
    """Set the qoh of one mirrored ItemStock row (an item in a shop) in Lightspeed, then in the mirror."""
    body = {"ItemShops": {"ItemShop": [{"itemShopID": str(stock.item_shop_ls_id), "qoh": str(qoh)}]}}
    with lightspeed_client(tenant, clock=clock) as client:
        client.put(f"Item/{stock.item.ls_id}", json=body, retry=True)
    ItemStock.objects.for_tenant(tenant).filter(pk=stock.pk).update(qoh=qoh)


def ls_ship_to_shipped(*, tenant, ship_to, note, clock=None):
    """Mark a sale's ShipTo shipped with this shipNote (writable nested in Sale PUT only)."""
    body = {"ShipTo": {"shipped": "true", "shipNote": note, "firstName": ship_to.first_name,
                       "lastName": ship_to.last_name, "company": ship_to.company}}
    with lightspeed_client(tenant, clock=clock) as client:
        client.put(f"Sale/{ship_to.sale.ls_id}", json=body, retry=True)
    ShipTo.objects.for_tenant(tenant).filter(pk=ship_to.pk).update(shipped=True, ship_note=note)


def ls_customer_update(*, tenant, customer, fields, clock=None):
    """Change a Lightspeed customer's names/phone (email is the match key, never changed from Buckles)."""
    body = {}
    if "first_name" in fields:
        body["firstName"] = fields["first_name"]
    if "last_name" in fields:
        body["lastName"] = fields["last_name"]
    if "phone" in fields:
        body["Contact"] = {"Phones": {"ContactPhone": [{"number": fields["phone"], "useType": "Mobile"}]}}
    if not body:
        return
    with lightspeed_client(tenant, clock=clock) as client:
        client.put(f"Customer/{customer.ls_id}", json=body, retry=True)
    Customer.objects.for_tenant(tenant).filter(pk=customer.pk).update(**fields)
