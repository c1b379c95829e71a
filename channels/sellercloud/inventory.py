"""Inventory, price and cost upload (Sellercloud -> Lightspeed), and auto-create.

One run: read the products Sellercloud changed since the cursor (catalog + per mapped warehouse), link them to
Lightspeed items (UPC, EAN, SKU), create enabled ones in Lightspeed when auto-create is on, then for each
linked, enabled product write only the values that differ from the mirror (`mapping.upload_changes`):
qoh per mapped shop (its warehouses summed), default price and default cost when their switches are on.
"""
from decimal import Decimal

from .client import sellercloud_client
from .lswrites import MirrorItems, item_create, item_write
from .mapping import upload_changes
from .models import SellercloudProduct
from .products import cursor_get, cursor_set, products_link, products_read, products_store
from .selectors import sellercloud_settings_get, shops_mapped

OBJECT = "sellercloud_product"


def inventory_upload(*, ctx):
    settings = sellercloud_settings_get(ctx.tenant)
    if settings is None or not settings.lightspeed_pos_enabled:
        ctx.info("Lightspeed POS Enabled is off: nothing is uploaded.")
        return
    shops = {s.shop_ls_id: s.warehouse_ids for s in shops_mapped(ctx.tenant)}
    if not shops or not settings.company_id:
        ctx.info("No Lightspeed shop is mapped to a Sellercloud warehouse, so nothing is uploaded.")
        return
    since = cursor_get(ctx.tenant)
    warehouses = sorted({w for ids in shops.values() for w in ids})
    with sellercloud_client(ctx.tenant, clock=ctx.clock) as client:
        changed, stock, newest = products_read(ctx=ctx, client=client, company_id=settings.company_id,
                                               warehouse_ids=warehouses, since=since,
                                               auto_enable=settings.auto_enable_new_products)
    ctx.count("products_read", len(set(changed) | set(stock)))
    if ctx.dry_run:
        ctx.info(f"{len(changed)} Sellercloud products changed since {since or 'the start'} (dry run: nothing stored)")
        return
    products = products_store(tenant=ctx.tenant, changed=changed, stock=stock)
    ctx.count("linked", len(products_link(tenant=ctx.tenant, products=products)))
    if settings.auto_create_products:
        products_create(ctx, products)
    items_update(ctx, settings, shops, [p for p in products if p.item_ls_id and p.lightspeed_enabled])
    if newest is not None:
        cursor_set(ctx.tenant, newest)


def products_create(ctx, products):
    """Enabled products with no Lightspeed item (and none to link) are created there, once: the link is kept."""
    for product in products:
        if product.item_ls_id or not product.lightspeed_enabled:
            continue
        with ctx.record(OBJECT, product.sku):
            item_ls_id = item_create(ctx, product)
            product.item_ls_id, product.link = item_ls_id, SellercloudProduct.Link.CREATED
            product.uploaded = {"price": str(product.price), "cost": str(product.cost)}
            product.save(update_fields=["item_ls_id", "link", "uploaded", "updated_at"])
            ctx.count("items_created")


def items_update(ctx, settings, shops, products):
    mirror = MirrorItems(ctx.tenant, [p.item_ls_id for p in products])
    for product in products:
        change = upload_changes(product, shops=shops, mirror_qoh=mirror.qoh(product.item_ls_id),
                                mirror_price=mirror.price(product.item_ls_id), price_on=settings.price_upload,
                                cost_on=settings.cost_upload, qoh_on=settings.inventory_upload)
        for what, theirs, ours in change.conflicts:
            ctx.warning(f"{product.sku}: Lightspeed changed the {what} to {theirs} since our upload of {ours}; "
                        f"Sellercloud's value wins.", object_type=OBJECT, object_id=product.sku)
            ctx.count("conflicts")
        if change.empty:
            continue
        with ctx.record(OBJECT, product.sku):
            item_write(ctx, change, mirror)
            product.uploaded = uploaded_after(product.uploaded, change)
            product.save(update_fields=["uploaded", "updated_at"])
            ctx.count("items_written")


def uploaded_after(uploaded, change):
    uploaded = dict(uploaded or {})
    uploaded["qoh"] = {**(uploaded.get("qoh") or {}), **{str(s): q for s, q in change.qoh.items()}}
    if change.price is not None:
        uploaded["price"] = str(change.price)
    if change.cost is not None:
        uploaded["cost"] = str(Decimal(change.cost))
    return uploaded
