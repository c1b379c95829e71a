"""The two Lightspeed writes this channel makes, in one place: item create and item update (qoh per shop,
default price, default cost). The mirror is updated from each answer, so an unchanged catalog costs nothing
and a new ItemShop is known by its id next time.

PROVISIONAL: `lightspeed/writes.py` (platform work in parallel) is to replace the direct client calls here.
"""
from django.db import transaction

from lightspeed.client import lightspeed_client
from lightspeed.models import Item, ItemPrice, ItemStock


def _rows(value):
    """Lightspeed's one-row list as a bare object, or a list, or nothing."""
    if not value:
        return []
    return [value] if isinstance(value, dict) else list(value)


def mirror_item_shops(tenant, item, answer):
    """ItemStock rows from the answer's ItemShops (shopID 0, the summary, included as the mirror keeps it)."""
    for shop in _rows((answer.get("ItemShops") or {}).get("ItemShop")):
        ItemStock.objects.for_tenant(tenant).update_or_create(
            tenant=tenant, item=item, shop_ls_id=int(shop.get("shopID") or 0),
            defaults={"item_shop_ls_id": int(shop.get("itemShopID") or 0), "qoh": int(shop.get("qoh") or 0)})


def item_write(ctx, change, body):
    with lightspeed_client(ctx.tenant, clock=ctx.clock, yield_after=ctx.yield_after) as client:
        data = client.put(f"Item/{change.item_ls_id}", json=body, retry=True)  # absolute values: safe to resend
    item = Item.objects.for_tenant(ctx.tenant).get(ls_id=change.item_ls_id)
    with transaction.atomic():
        stock = ItemStock.objects.for_tenant(ctx.tenant).filter(item=item)
        for shop, qoh in change.qoh.items():
            stock.filter(shop_ls_id=shop).update(qoh=qoh)
        mirror_item_shops(ctx.tenant, item, data.get("Item") or {})
        if change.price is not None:
            ItemPrice.objects.for_tenant(ctx.tenant).update_or_create(
                tenant=ctx.tenant, item=item, price_level_ls_id=1, defaults={"amount": change.price})


def item_create(ctx, body):
    """POST /Item.json; returns the new itemID (also added to the mirror, so it is linked, not created twice)."""
    with lightspeed_client(ctx.tenant, clock=ctx.clock, yield_after=ctx.yield_after) as client:
        data = client.post("Item", json=body)
    answer = data.get("Item") or {}
    item_ls_id = int(answer["itemID"])
    with transaction.atomic():
        item, _ = Item.objects.for_tenant(ctx.tenant).update_or_create(
            tenant=ctx.tenant, ls_id=item_ls_id,
            defaults={"description": body.get("description", ""), "custom_sku": body.get("customSku", ""),
                      "upc": body.get("upc", ""), "ean": body.get("ean", ""),
                      "manufacturer_sku": body.get("manufacturerSku", ""),
                      "system_sku": str(answer.get("systemSku") or "")})
        mirror_item_shops(ctx.tenant, item, answer)
        for price in _rows((body.get("Prices") or {}).get("ItemPrice")):
            ItemPrice.objects.for_tenant(ctx.tenant).update_or_create(
                tenant=ctx.tenant, item=item, price_level_ls_id=int(price["useTypeID"]),
                defaults={"amount": price["amount"]})
    return item_ls_id
