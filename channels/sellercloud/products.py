"""The Sellercloud side of the catalog: products read incrementally (by Sellercloud's last-updated filter)
into SellercloudProduct with their per-warehouse stock, and linked to Lightspeed items by UPC, EAN or SKU."""
from datetime import datetime, timezone
from decimal import Decimal, InvalidOperation

from django.db.models import Q

from connector.models import SyncCursor
from lightspeed.models import Item

from .models import SellercloudProduct

CURSOR = "sellercloud.products"


def _decimal(value):
    try:
        return None if value in (None, "") else Decimal(str(value)).quantize(Decimal("0.0001"))
    except InvalidOperation:
        return None


def sc_time(value):
    """A Sellercloud time (ISO, no offset: read as UTC), or None."""
    text = str(value or "").rstrip("Z")
    try:
        return datetime.fromisoformat(text[:26]).replace(tzinfo=timezone.utc) if text else None
    except ValueError:
        return None


def filter_time(when):
    """How we send a date filter: ISO seconds (accepted beside mm/dd/yyyy hh:mm)."""
    return when.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")


def cursor_get(tenant):
    row = SyncCursor.objects.for_tenant(tenant).filter(name=CURSOR).first()
    return row.value if row else None


def cursor_set(tenant, value):
    SyncCursor.objects.for_tenant(tenant).update_or_create(tenant=tenant, name=CURSOR, defaults={"value": value})


def products_cursor_reset(*, tenant):
    SyncCursor.objects.for_tenant(tenant).filter(name=CURSOR).delete()


def product_fields(row):
    return {"name": str(row.get("ProductName") or "")[:300], "upc": str(row.get("UPC") or "")[:40],
            "ean": str(row.get("EAN") or "")[:40], "manufacturer_sku": str(row.get("ManufacturerSKU") or "")[:100],
            "price": _decimal(row.get("SitePrice")), "cost": _decimal(row.get("SiteCost")),
            "sc_modified": sc_time(row.get("LastModifiedDate"))}


def products_read(*, ctx, client, company_id, warehouse_ids, since, auto_enable):
    """Read what changed in Sellercloud since `since`; returns (changed products by SKU, newest LastModifiedDate).

    A row without a SKU is logged on its record and skipped; the others go on."""
    base = {"model.companyID": [int(company_id)]}
    if since is not None:
        base["model.lastUpdatedFrom"] = filter_time(since)
    known = dict(SellercloudProduct.objects.for_tenant(ctx.tenant).values_list("sku", "pk"))
    changed, newest = {}, since
    for row in client.catalog(base):
        sku = str(row.get("ID") or "").strip()
        if not sku:
            ctx.warning("A Sellercloud product without a SKU was skipped.", object_type="sellercloud_product",
                        object_id=str(row.get("ProductName") or "?"), data={"row": {k: row.get(k) for k in
                                                                                ("ProductName", "UPC", "EAN")}})
            ctx.count("skipped")
            continue
        fields = product_fields(row)
        enabled = bool(row.get("LightspeedPOSEnabled"))
        is_new = sku not in known and since is not None
        fields["lightspeed_enabled"] = enabled or (auto_enable and is_new)
        changed[sku] = fields
        newest = max(filter(None, (newest, fields["sc_modified"])), default=None)
    stock = {}
    for warehouse in warehouse_ids:
        for row in client.inventory({**base, "model.warehouse": [warehouse]}):
            sku = str(row.get("ID") or "").strip()
            if sku:
                stock.setdefault(sku, {})[str(warehouse)] = int(row.get("WarehousePhysicalQty") or 0)
                changed.setdefault(sku, {k: v for k, v in product_fields(row).items()})
    return changed, stock, newest


STORED_FIELDS = ("name", "upc", "ean", "manufacturer_sku", "price", "cost", "sc_modified", "lightspeed_enabled",
                 "warehouse_qty")


def products_store(*, tenant, changed, stock):
    """Upsert the products read and their per-warehouse stock (in bulk; unchanged rows are not written).
    Returns every product read (SellercloudProduct rows)."""
    skus = set(changed) | set(stock)
    existing = {p.sku: p for p in SellercloudProduct.objects.for_tenant(tenant).filter(sku__in=skus)}
    created, updated, out = [], [], []
    for sku in sorted(skus):
        product = existing.get(sku)
        before = None if product is None else tuple(getattr(product, name) for name in STORED_FIELDS)
        product = product or SellercloudProduct(tenant=tenant, sku=sku)
        for name, value in (changed.get(sku) or {}).items():
            setattr(product, name, value)
        if sku in stock:
            product.warehouse_qty = {**product.warehouse_qty, **stock[sku]}
        if before is None:
            created.append(product)
        elif before != tuple(getattr(product, name) for name in STORED_FIELDS):
            updated.append(product)
        out.append(product)
    SellercloudProduct.objects.for_tenant(tenant).bulk_create(created, batch_size=500)
    SellercloudProduct.objects.for_tenant(tenant).bulk_update(updated, STORED_FIELDS, batch_size=500)
    return out


def products_link(*, tenant, products):
    """Link unlinked products to an existing Lightspeed item with the same UPC, EAN or SKU (customSku, then
    systemSku), in that order, each item to one product. One mirror query per batch. Returns the linked ones."""
    unlinked = [p for p in products if p.item_ls_id is None]
    if not unlinked:
        return []
    taken = set(SellercloudProduct.objects.for_tenant(tenant).exclude(item_ls_id=None)
                .values_list("item_ls_id", flat=True))
    index = _item_index(tenant, unlinked)
    linked = []
    for product in unlinked:
        for key in (("upc", product.upc), ("ean", product.ean), ("custom_sku", product.sku),
                    ("system_sku", product.sku)):
            item = next((i for i in index.get(key, ()) if i not in taken), None) if key[1] else None
            if item is not None:
                product.item_ls_id, product.link = item, SellercloudProduct.Link.MATCHED
                taken.add(item)
                linked.append(product)
                break
    SellercloudProduct.objects.for_tenant(tenant).bulk_update(linked, ["item_ls_id", "link"], batch_size=500)
    return linked


def _item_index(tenant, products):
    """{(field, code): [item ls_ids, oldest first]} for the codes of these products."""
    upcs, eans = {p.upc for p in products if p.upc}, {p.ean for p in products if p.ean}
    skus = {p.sku for p in products}
    rows = (Item.objects.for_tenant(tenant).filter(archived=False)
            .filter(Q(upc__in=upcs) | Q(ean__in=eans) | Q(custom_sku__in=skus) | Q(system_sku__in=skus))
            .order_by("ls_id").values_list("ls_id", "upc", "ean", "custom_sku", "system_sku"))
    index = {}
    for ls_id, *codes in rows:
        for field, code in zip(("upc", "ean", "custom_sku", "system_sku"), codes):
            if code:
                index.setdefault((field, code), []).append(ls_id)
    return index
