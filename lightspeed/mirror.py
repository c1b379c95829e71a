"""Writing the mirror: raw reference rows → model rows, and bulk upserts in batches."""
from datetime import datetime, timezone as dt_timezone

from django.db import connection
from django.utils import timezone

from .models import (Category, Employee, Item, ItemAttributeSet, ItemPrice, ItemStock, Manufacturer, PaymentType,
                     PriceLevel, Register, Shop)
from .records import to_bool, to_datetime, to_int

EPOCH = datetime(1970, 1, 1, tzinfo=dt_timezone.utc)
UPSERT_BATCH = 1000
MIRROR_FIELDS = ["archived", "ls_timestamp", "synced_at"]
# System attribute sets (docs §4.6), used when the account does not list its sets.
SYSTEM_ATTRIBUTE_SETS = {1: ("Color", "Size", ""), 2: ("", "Size", ""), 3: ("Color", "", ""),
                         4: ("Attribute 1", "Attribute 2", "Attribute 3")}
COLOR_NAMES = {"color", "colour", "farve", "farbe", "couleur", "kleur"}
SIZE_NAMES = {"size", "størrelse", "grösse", "größe", "taille", "maat"}


def _base(raw, id_field):
    return {"ls_id": to_int(raw.get(id_field)), "archived": to_bool(raw.get("archived")),
            "ls_timestamp": to_datetime(raw.get("timeStamp"))}


def _role_name(raw):
    role = raw.get("EmployeeRole")
    return str(role.get("name") or "")[:100] if isinstance(role, dict) else ""


REFERENCE = {
    "Shop": (Shop, "shopID", lambda r: {"name": r.get("name") or "", "time_zone": r.get("timeZone") or ""}),
    "Register": (Register, "registerID",
                 lambda r: {"name": r.get("name") or "", "shop_ls_id": to_int(r.get("shopID"))}),
    "Employee": (Employee, "employeeID", lambda r: {
        "first_name": r.get("firstName") or "", "last_name": r.get("lastName") or "",
        "employee_role_ls_id": to_int(r.get("employeeRoleID")), "employee_role_name": _role_name(r)}),
    "PriceLevel": (PriceLevel, "priceLevelID", lambda r: {"name": r.get("name") or ""}),
    "PaymentType": (PaymentType, "paymentTypeID", lambda r: {"name": r.get("name") or "", "type": r.get("type") or ""}),
    "Category": (Category, "categoryID",
                 lambda r: {"name": r.get("name") or "", "full_path": r.get("fullPathName") or r.get("name") or ""}),
    "Manufacturer": (Manufacturer, "manufacturerID", lambda r: {"name": r.get("name") or ""}),
    "ItemAttributeSet": (ItemAttributeSet, "itemAttributeSetID", lambda r: {
        "name": r.get("name") or "", "attribute_names": [r.get(f"attributeName{n}") or "" for n in (1, 2, 3)]}),
}


def upsert(model, objs, unique_fields, update_fields):
    """INSERT … ON CONFLICT DO UPDATE in batches; on PostgreSQL the objects get their pks."""
    for start in range(0, len(objs), UPSERT_BATCH):
        model.unscoped.bulk_create(objs[start:start + UPSERT_BATCH], update_conflicts=True,
                                   unique_fields=unique_fields, update_fields=update_fields)
    return len(objs)


def fast_upsert(model, objs, unique_fields, update_fields, *, returning=None):
    """The catalog's hot path: one `INSERT … SELECT * FROM unnest(%s::type[], …) ON CONFLICT DO UPDATE`
    per batch, with whole columns as array parameters — no per-value ORM preparation.

    With `returning` (a field name), returns {that field's value: pk} of every row written.
    """
    if not objs:
        return {}
    if connection.vendor != "postgresql":  # the demo's SQLite: the portable ORM upsert
        return portable_upsert(model, objs, unique_fields, update_fields, returning=returning)
    now = timezone.now()
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    for obj in objs:
        for field in fields:
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                setattr(obj, field.attname, now)
    column = {f.name: f'"{f.column}"' for f in model._meta.concrete_fields}
    names = ", ".join(column[f.name] for f in fields)
    arrays = ", ".join(f"%s::{f.db_type(connection)}[]" for f in fields)
    conflict = ", ".join(column[n] for n in unique_fields)
    updates = ", ".join(f"{column[n]} = EXCLUDED.{column[n]}" for n in update_fields)
    sql = (f'INSERT INTO "{model._meta.db_table}" ({names}) SELECT * FROM unnest({arrays}) '
           f"ON CONFLICT ({conflict}) DO UPDATE SET {updates}")
    if returning:
        sql += f' RETURNING {column[returning]}, "id"'
    written = {}
    with connection.cursor() as cursor:
        for start in range(0, len(objs), UPSERT_BATCH):
            batch = objs[start:start + UPSERT_BATCH]
            cursor.execute(sql, [[getattr(obj, f.attname) for obj in batch] for f in fields])
            if returning:
                written.update(cursor.fetchall())
    return written


def portable_upsert(model, objs, unique_fields, update_fields, *, returning=None):
    upsert(model, objs, unique_fields, update_fields)
    if not returning:
        return {}
    keys = [getattr(obj, returning) for obj in objs]
    rows = model.unscoped.filter(tenant=objs[0].tenant_id, **{f"{returning}__in": keys})
    return dict(rows.values_list(returning, "id"))


def reference_upsert(*, tenant, resource, rows):
    model, id_field, fields = REFERENCE[resource]
    objs = {}
    for raw in rows:
        values = {**_base(raw, id_field), **fields(raw)}
        objs[values["ls_id"]] = model(tenant=tenant, **values)
    update_fields = MIRROR_FIELDS + list(fields({}).keys())
    return upsert(model, list(objs.values()), ["tenant", "ls_id"], update_fields)


class CatalogLookups:
    """Names the items refer to by id, read once per run from the reference mirror."""

    def __init__(self, tenant):
        self.categories = dict(Category.unscoped.filter(tenant=tenant).values_list("ls_id", "full_path"))
        self.manufacturers = dict(Manufacturer.unscoped.filter(tenant=tenant).values_list("ls_id", "name"))
        sets = dict(SYSTEM_ATTRIBUTE_SETS)
        sets.update({k: tuple(v) for k, v in ItemAttributeSet.unscoped.filter(tenant=tenant)
                     .values_list("ls_id", "attribute_names")})
        self.attribute_sets = sets

    def color_size(self, record):
        names = self.attribute_sets.get(record.attribute_set_id, ("", "", ""))
        color = size = ""
        for name, value in zip(names, record.attributes):
            if (name or "").strip().lower() in COLOR_NAMES:
                color = value
            elif (name or "").strip().lower() in SIZE_NAMES:
                size = value
        return color, size


ITEM_FIELDS = ["system_sku", "custom_sku", "manufacturer_sku", "ean", "upc", "description", "note", "color", "size",
               "item_matrix_ls_id", "category_ls_id", "manufacturer_ls_id", "category_name", "manufacturer_name",
               "default_cost"]


def item_row(tenant, record, lookups):
    color, size = lookups.color_size(record)
    return Item(
        tenant=tenant, ls_id=record.item_id, archived=record.archived, ls_timestamp=record.timestamp,
        system_sku=record.system_sku[:40], custom_sku=record.custom_sku[:100],
        manufacturer_sku=record.manufacturer_sku[:100],
        ean=record.ean[:20], upc=record.upc[:20], description=record.description, note=record.note,
        color=color[:100], size=size[:100], item_matrix_ls_id=record.item_matrix_id,
        category_ls_id=record.category_id, manufacturer_ls_id=record.manufacturer_id,
        category_name=lookups.categories.get(record.category_id, "")[:500],
        manufacturer_name=lookups.manufacturers.get(record.manufacturer_id, "")[:200],
        default_cost=record.default_cost,
    )


def newest_by(records, key):
    """De-duplicate: one record per key, the one with the newest timeStamp."""
    latest = {}
    for record in records:
        old = latest.get(key(record))
        if old is None or (record.timestamp or EPOCH) >= (old.timestamp or EPOCH):
            latest[key(record)] = record
    return latest


def items_upsert(*, tenant, records, lookups, with_stock):
    """Items, their prices and (with_stock) their ItemShops. Returns counts written."""
    latest = newest_by(records, lambda r: r.item_id)  # one row per item per statement
    items = [item_row(tenant, r, lookups) for r in latest.values()]
    pk_of = fast_upsert(Item, items, ["tenant", "ls_id"], MIRROR_FIELDS + ITEM_FIELDS, returning="ls_id")
    prices = [ItemPrice(tenant=tenant, item_id=pk_of[r.item_id], price_level_ls_id=level, amount=amount)
              for r in latest.values() for level, amount in r.prices.items()]
    fast_upsert(ItemPrice, prices, ["item", "price_level_ls_id"], ["amount"])
    stock = 0
    if with_stock:
        stock = stock_upsert(tenant=tenant, records=[s for r in latest.values() for s in r.shops], pk_of=pk_of)
    return {"items": len(items), "prices": len(prices), "stock": stock}


STOCK_FIELDS = ["item_shop_ls_id", "qoh", "backorder", "reorder_point", "reorder_level", "ls_timestamp"]


def stock_upsert(*, tenant, records, pk_of):
    latest = newest_by((s for s in records if s.item_id in pk_of), lambda s: (s.item_id, s.shop_id))
    rows = [ItemStock(tenant=tenant, item_id=pk_of[s.item_id], shop_ls_id=s.shop_id, item_shop_ls_id=s.item_shop_id,
                      qoh=s.qoh, backorder=s.backorder, reorder_point=s.reorder_point, reorder_level=s.reorder_level,
                      ls_timestamp=s.timestamp) for s in latest.values()]
    fast_upsert(ItemStock, rows, ["item", "shop_ls_id"], STOCK_FIELDS)
    return len(rows)


def item_pks(tenant, ls_ids):
    return dict(Item.unscoped.filter(tenant=tenant, ls_id__in=ls_ids).values_list("ls_id", "pk"))


def known_item_stamps(tenant, ls_ids):
    return dict(Item.unscoped.filter(tenant=tenant, ls_id__in=ls_ids).values_list("ls_id", "ls_timestamp"))


def known_stock_stamps(tenant, item_shop_ids):
    return dict(ItemStock.unscoped.filter(tenant=tenant, item_shop_ls_id__in=item_shop_ids)
                .values_list("item_shop_ls_id", "ls_timestamp"))
