"""The two Lightspeed writes this channel makes, in one place: item create and item update (qoh per shop,
default price, default cost), with the mirror updated after a write so an unchanged catalog costs nothing.

PROVISIONAL: `lightspeed/writes.py` (platform work in parallel) is to replace the direct client calls here.
"""
from django.db import transaction

from lightspeed.client import lightspeed_client
from lightspeed.models import Item, ItemPrice, ItemStock


def item_write(ctx, change, body):
    with lightspeed_client(ctx.tenant, clock=ctx.clock, yield_after=ctx.yield_after) as client:
        client.put(f"Item/{change.item_ls_id}", json=body, retry=True)  # absolute values: safe to resend
    with transaction.atomic():
        stock = ItemStock.objects.for_tenant(ctx.tenant).filter(item__ls_id=change.item_ls_id)
        for shop, qoh in change.qoh.items():
            stock.filter(shop_ls_id=shop).update(qoh=qoh)
        if change.price is not None:
            ItemPrice.objects.for_tenant(ctx.tenant).filter(item__ls_id=change.item_ls_id,
                                                            price_level_ls_id=1).update(amount=change.price)


def item_create(ctx, body):
    """POST /Item.json; returns the new itemID (also added to the mirror, so it is linked, not created twice)."""
    with lightspeed_client(ctx.tenant, clock=ctx.clock, yield_after=ctx.yield_after) as client:
        data = client.post("Item", json=body)
    item = data.get("Item") or {}
    item_ls_id = int(item["itemID"])
    row, _ = Item.objects.for_tenant(ctx.tenant).update_or_create(
        tenant=ctx.tenant, ls_id=item_ls_id,
        defaults={"description": body.get("description", ""), "custom_sku": body.get("customSku", ""),
                  "upc": body.get("upc", ""), "ean": body.get("ean", ""),
                  "manufacturer_sku": body.get("manufacturerSku", ""), "system_sku": str(item.get("systemSku") or "")})
    shops = (item.get("ItemShops") or {}).get("ItemShop") or []
    for shop in [shops] if isinstance(shops, dict) else shops:  # one row comes as a bare object
        ItemStock.objects.for_tenant(ctx.tenant).update_or_create(
            tenant=ctx.tenant, item=row, shop_ls_id=int(shop.get("shopID") or 0),
            defaults={"item_shop_ls_id": int(shop.get("itemShopID") or 0), "qoh": int(shop.get("qoh") or 0)})
    return item_ls_id
