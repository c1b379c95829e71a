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


class MirrorItems:
    """The mirror rows of a batch of items, read in three queries; each write then touches only the rows
    whose values changed (an upload of 10k items must not cost 10k x several queries)."""

    def __init__(self, tenant, item_ls_ids):
        self.tenant = tenant
        self.pks = dict(Item.objects.for_tenant(tenant).filter(ls_id__in=item_ls_ids).values_list("ls_id", "pk"))
        by_pk = {pk: ls_id for ls_id, pk in self.pks.items()}
        self.stock, self.prices = {}, {}
        for row in ItemStock.objects.for_tenant(tenant).filter(item_id__in=by_pk):
            self.stock.setdefault(by_pk[row.item_id], {})[row.shop_ls_id] = row
        for row in ItemPrice.objects.for_tenant(tenant).filter(item_id__in=by_pk):
            self.prices.setdefault(by_pk[row.item_id], {})[row.price_level_ls_id] = row

    def qoh(self, item_ls_id):
        return {shop: row.qoh for shop, row in self.stock.get(item_ls_id, {}).items()}

    def price(self, item_ls_id, level=DEFAULT_PRICE_LEVEL):
        row = self.prices.get(item_ls_id, {}).get(level)
        return row.amount if row else None

    def apply(self, item_ls_id, *, shops, prices):
        """shops: [(shop, itemShopID or None, qoh)]; prices: {level: amount}. Writes only the differences."""
        stock, new_stock, changed_stock = self.stock.setdefault(item_ls_id, {}), [], []
        for shop, item_shop_id, qoh in shops:
            row = stock.get(shop)
            if row is None:
                row = stock[shop] = ItemStock(tenant=self.tenant, item_id=self.pks[item_ls_id], shop_ls_id=shop,
                                              item_shop_ls_id=item_shop_id or 0, qoh=qoh)
                new_stock.append(row)
            elif row.qoh != qoh or (item_shop_id and row.item_shop_ls_id != item_shop_id):
                row.qoh, row.item_shop_ls_id = qoh, item_shop_id or row.item_shop_ls_id
                changed_stock.append(row)
        levels, new_prices, changed_prices = self.prices.setdefault(item_ls_id, {}), [], []
        for level, amount in prices.items():
            row = levels.get(level)
            if row is None:
                row = levels[level] = ItemPrice(tenant=self.tenant, item_id=self.pks[item_ls_id],
                                                price_level_ls_id=level, amount=amount)
                new_prices.append(row)
            elif row.amount != amount:
                row.amount = amount
                changed_prices.append(row)
        with transaction.atomic():
            ItemStock.objects.for_tenant(self.tenant).bulk_create(new_stock)
            ItemStock.objects.for_tenant(self.tenant).bulk_update(changed_stock, ["qoh", "item_shop_ls_id"])
            ItemPrice.objects.for_tenant(self.tenant).bulk_create(new_prices)
            ItemPrice.objects.for_tenant(self.tenant).bulk_update(changed_prices, ["amount"])


def item_write(ctx, change, mirror):
    with lightspeed_client(ctx.tenant, clock=ctx.clock, yield_after=ctx.yield_after) as client:
        record = item_record(writes.send(client, item_change_request(change), retry=True))  # absolute values
    answered = {shop.shop_id: shop for shop in record.shops}
    shops = [(s.shop_id, s.item_shop_id, s.qoh) for s in record.shops]
    shops += [(shop, None, qoh) for shop, qoh in change.qoh.items() if shop not in answered]
    prices = {level: amount for level, amount in record.prices.items() if level and amount is not None}
    if change.price is not None:
        prices.setdefault(DEFAULT_PRICE_LEVEL, change.price)
    mirror.apply(change.item_ls_id, shops=shops, prices=prices)


def item_create(ctx, product):
    """POST Item for a Sellercloud product; returns the new itemID (also mirrored, so it is linked, not created
    twice). Not retried: a lost answer is found next run by the product's codes (linking comes first)."""
    prices = {DEFAULT_PRICE_LEVEL: product.price} if product.price is not None else None
    with lightspeed_client(ctx.tenant, clock=ctx.clock, yield_after=ctx.yield_after) as client:
        record = writes.item_create(client, description=product.name or product.sku, custom_sku=product.sku,
                                    upc=product.upc, ean=product.ean, manufacturer_sku=product.manufacturer_sku,
                                    default_cost=product.cost, prices=prices)
    Item.objects.for_tenant(ctx.tenant).update_or_create(
        tenant=ctx.tenant, ls_id=record.item_id,
        defaults={"description": record.description, "custom_sku": record.custom_sku, "upc": record.upc,
                  "ean": record.ean, "manufacturer_sku": record.manufacturer_sku, "system_sku": record.system_sku})
    mirror = MirrorItems(ctx.tenant, [record.item_id])
    mirror.apply(record.item_id, shops=[(s.shop_id, s.item_shop_id, s.qoh) for s in record.shops],
                 prices={level: amount for level, amount in record.prices.items() if level and amount is not None})
    return record.item_id
