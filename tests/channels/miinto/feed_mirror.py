"""Build Lightspeed mirror rows directly (bulk_create) for the feed tests."""
from decimal import Decimal

from lightspeed.models import Category, Item, ItemPrice, ItemStock, PriceLevel, Shop

LEVEL = 1
SHOP = 1


def mirror_basics(tenant, *, shops=(1, 2), levels=((1, "Default"), (2, "Online"))):
    Shop.unscoped.bulk_create([Shop(tenant=tenant, ls_id=s, name=f"Shop {s}") for s in shops])
    PriceLevel.unscoped.bulk_create([PriceLevel(tenant=tenant, ls_id=i, name=n) for i, n in levels])


def mirror_categories(tenant, rows):
    """rows: (ls_id, name, full_path)"""
    Category.unscoped.bulk_create([Category(tenant=tenant, ls_id=i, name=n, full_path=p) for i, n, p in rows])


def mirror_items(tenant, specs):
    """specs: dicts of Item fields plus optional price (level 1), prices {level: amount}, qoh (shop 1),
    stock {shop: qoh}."""
    items, extras = [], []
    for n, spec in enumerate(specs, 1):
        spec = dict(spec)
        prices = spec.pop("prices", {LEVEL: spec.pop("price", Decimal("100.00"))})
        stock = spec.pop("stock", {SHOP: spec.pop("qoh", 5)})
        spec.setdefault("ls_id", n)
        spec.setdefault("system_sku", f"21000000{spec['ls_id']:05d}")
        items.append(Item(tenant=tenant, **spec))
        extras.append((prices, stock))
    Item.unscoped.bulk_create(items)
    ItemPrice.unscoped.bulk_create([
        ItemPrice(tenant=tenant, item=item, price_level_ls_id=level, amount=Decimal(amount))
        for item, (prices, _) in zip(items, extras) for level, amount in prices.items() if amount is not None
    ])
    ItemStock.unscoped.bulk_create([
        ItemStock(tenant=tenant, item=item, shop_ls_id=shop, item_shop_ls_id=item.ls_id * 10 + shop, qoh=qoh)
        for item, (_, stock) in zip(items, extras) for shop, qoh in stock.items() if qoh is not None
    ])
    return items
