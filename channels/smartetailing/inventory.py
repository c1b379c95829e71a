"""The inventory and price file per mapped location, built from the Lightspeed mirror (never from
Lightspeed itself), and the one adapter that knows the file's format.

The real POS file format is not public (channels-deep.md §1.3): the format here is OURS, PROVISIONAL,
written down in docs/smartetailing.md, and only `inventory_file_render` and `inventory_file_name` know it.
"""
import csv
import hashlib
import io
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple
from urllib.parse import quote

from django.db.models import DecimalField, F, FilteredRelation, Q, Value

from lightspeed.models import ItemStock

from .selectors import msrp_level_ls_id

HEADER = ["Location", "POS SKU", "UPC", "EAN", "MPN", "Description", "Brand", "Category", "QOH",
          "Regular Price", "Sale Price", "Default Cost", "MSRP"]
CENT = Decimal("0.01")
ITEM_COLUMNS = ("qoh", "item_id", "item__system_sku", "item__upc", "item__ean", "item__manufacturer_sku",
                "item__description", "item__manufacturer_name", "item__category_name", "item__default_cost")


class InventoryRow(NamedTuple):
    pos_sku: str
    upc: str
    ean: str
    mpn: str
    description: str
    brand: str
    category: str
    qoh: int
    regular_price: Decimal | None = None
    sale_price: Decimal | None = None
    default_cost: Decimal | None = None
    msrp: Decimal | None = None


@dataclass(frozen=True)
class PriceLevels:
    regular: int | None = None
    sale: int | None = None
    msrp: int | None = None

    @property
    def ids(self):
        return [level for level in (self.regular, self.sale, self.msrp) if level]


def price_levels(*, tenant, config):
    """The levels whose amounts go in the file: none at all when POS pricing is off."""
    if not config.pos_pricing:
        return PriceLevels()
    return PriceLevels(regular=config.regular_price_level_ls_id, sale=config.sale_price_level_ls_id,
                       msrp=msrp_level_ls_id(tenant))


def import_filters(config):
    """The import settings as one condition on an ItemStock row: every switch that is on must hold."""
    condition = Q()
    if config.filter_on_hand:
        condition &= Q(qoh__gt=0)
    if config.filter_on_order:
        condition &= Q(backorder__gt=0)
    if config.filter_reorder:
        condition &= Q(reorder_point__gt=0) | Q(reorder_level__gt=0)
    return condition


def _stock_rows(tenant, shop_ls_id, config):
    rows = ItemStock.objects.for_tenant(tenant).filter(shop_ls_id=shop_ls_id, item__archived=False)
    return rows.filter(import_filters(config))


def inventory_count(*, tenant, config, shop_ls_id):
    """How many items of this shop the import settings let through (the page's preview)."""
    return _stock_rows(tenant, shop_ls_id, config).count()


def _with_price(rows, name, level):
    """Each row's amount at `level` as `name`, by a LEFT JOIN in the same query (NULL: no amount)."""
    if not level:
        return rows.annotate(**{name: Value(None, output_field=DecimalField())})
    joined = f"{name}_price"
    at_level = FilteredRelation("item__prices", condition=Q(item__prices__price_level_ls_id=level))
    rows = rows.annotate(**{joined: at_level})
    return rows.annotate(**{name: F(f"{joined}__amount")})


def inventory_rows(*, tenant, config, shop_ls_id):
    """Every item of the shop that passes the import settings, ordered by POS SKU, with the chosen prices."""
    levels = price_levels(tenant=tenant, config=config)
    stock = _stock_rows(tenant, shop_ls_id, config).order_by("item__system_sku", "item_id")
    for name, level in (("regular", levels.regular), ("sale", levels.sale), ("msrp", levels.msrp)):
        stock = _with_price(stock, name, level)
    for values in stock.values_list(*ITEM_COLUMNS, "regular", "sale", "msrp").iterator(chunk_size=5000):
        qoh, _, sku, upc, ean, mpn, description, brand, category, cost, regular, sale, msrp = values
        cost = cost if config.pos_pricing else None  # pricing off: no money at all in the file
        yield InventoryRow(sku, upc, ean, mpn, description, brand, category, qoh, regular, sale, cost, msrp)


# --- the adapter: our provisional file format -------------------------------------------------------

def inventory_file_name(location_name):
    return f"inventory_{quote(location_name, safe='')}.csv"


def _money(value):
    return "" if value is None else str(Decimal(value).quantize(CENT))


def inventory_file_render(location_name, rows):
    """(bytes of the CSV, rows written): UTF-8, comma, CRLF, RFC 4180 quoting, one header row."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    count = 0
    for r in rows:
        writer.writerow([location_name, r.pos_sku, r.upc, r.ean, r.mpn, r.description, r.brand, r.category, r.qoh,
                         _money(r.regular_price), _money(r.sale_price), _money(r.default_cost), _money(r.msrp)])
        count += 1
    return out.getvalue().encode("utf-8"), count


def checksum(data):
    return hashlib.sha256(data).hexdigest()
