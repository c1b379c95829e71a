"""The two Lightspeed writes this channel makes, on `lightspeed/writes.py`: item create, and one item update
per changed item (qoh per shop, default price, default cost in a single `PUT Item`). The mirror is updated
from each answer, so an unchanged catalog costs nothing and a new ItemShop is known by its id next time."""
from django.db import transaction

from lightspeed import writes
from lightspeed.client import lightspeed_client
from lightspeed.models import Item, ItemPrice, ItemStock
from lightspeed.records import item_record

DEFAULT_PRICE_LEVEL = 1


def item_change_request(change):
    """One `PUT Item` with every value that changed: the writes module's item update and stock bodies merged."""
    prices = {DEFAULT_PRICE_LEVEL: change.price} if change.price is not None else None
    write = writes.item_update_request(change.item_ls_id, default_cost=change.cost, prices=prices)
    body = dict(write.body)
    if change.qoh:
        body.update(writes.item_stock_set_request(change.item_ls_id, change.qoh).body)
    return writes.Write(write.method, write.path, body)


def mirror_from_answer(tenant, item, record):
    """ItemStock and ItemPrice rows from the answer (an ItemRecord)."""
    for shop in record.shops:
        ItemStock.objects.for_tenant(tenant).update_or_create(
            tenant=tenant, item=item, shop_ls_id=shop.shop_id,
            defaults={"item_shop_ls_id": shop.item_shop_id, "qoh": shop.qoh})
    for level, amount in record.prices.items():
        if level and amount is not None:
            ItemPrice.objects.for_tenant(tenant).update_or_create(
                tenant=tenant, item=item, price_level_ls_id=level, defaults={"amount": amount})


def item_write(ctx, change):
    with lightspeed_client(ctx.tenant, clock=ctx.clock, yield_after=ctx.yield_after) as client:
        record = item_record(writes.send(client, item_change_request(change), retry=True))  # absolute values
    item = Item.objects.for_tenant(ctx.tenant).get(ls_id=change.item_ls_id)
    with transaction.atomic():
        stock = ItemStock.objects.for_tenant(ctx.tenant).filter(item=item)
        for shop, qoh in change.qoh.items():  # what we set, whether or not the answer carries ItemShops
            stock.filter(shop_ls_id=shop).update(qoh=qoh)
        if change.price is not None:
            ItemPrice.objects.for_tenant(ctx.tenant).update_or_create(
                tenant=ctx.tenant, item=item, price_level_ls_id=DEFAULT_PRICE_LEVEL, defaults={"amount": change.price})
        mirror_from_answer(ctx.tenant, item, record)


def item_create(ctx, product):
    """POST Item for a Sellercloud product; returns the new itemID (also mirrored, so it is linked, not created
    twice). Not retried: a lost answer is found next run by the product's codes (linking comes first)."""
    prices = {DEFAULT_PRICE_LEVEL: product.price} if product.price is not None else None
    with lightspeed_client(ctx.tenant, clock=ctx.clock, yield_after=ctx.yield_after) as client:
        record = writes.item_create(client, description=product.name or product.sku, custom_sku=product.sku,
                                    upc=product.upc, ean=product.ean, manufacturer_sku=product.manufacturer_sku,
                                    default_cost=product.cost, prices=prices)
    with transaction.atomic():
        item, _ = Item.objects.for_tenant(ctx.tenant).update_or_create(
            tenant=ctx.tenant, ls_id=record.item_id,
            defaults={"description": record.description, "custom_sku": record.custom_sku, "upc": record.upc,
                      "ean": record.ean, "manufacturer_sku": record.manufacturer_sku,
                      "system_sku": record.system_sku})
        mirror_from_answer(ctx.tenant, item, record)
    return record.item_id
