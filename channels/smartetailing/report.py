"""The pending-mappings report (the seed's troubleshooting list): items a connected location would send
that SmartEtailing cannot map, each with what to fill in, in Lightspeed.

SmartEtailing maps a POS item by GTIN (UPC = GTIN1, EAN = GTIN2) or by MPN (Manufacturer SKU), and needs
a Default Cost or MSRP (seed 001, channels-deep.md §1.4): an item with neither (default cost 0, and no amount
at the Lightspeed price level named "MSRP", when that level exists) is listed.
"""
import csv
import io
from dataclasses import dataclass

from django.db.models import Exists, OuterRef

from lightspeed.models import Item, ItemPrice, ItemStock

from .inventory import import_filters
from .selectors import locations_mapped, msrp_level_ls_id

FIXES = {
    "gtin": "Enter the UPC (or the EAN) in the item's UPC / EAN field in Lightspeed.",
    "mpn": "Enter the manufacturer's part number in the item's Manufact. SKU field in Lightspeed.",
    "cost_or_msrp": "Enter the item's Default Cost, or its MSRP price, in Lightspeed.",
}
CSV_HEADER = ["POS SKU", "Description", "UPC", "EAN", "Manufacturer SKU", "Missing", "What to fill in"]


@dataclass(frozen=True)
class PendingRow:
    item_ls_id: int
    pos_sku: str
    description: str
    upc: str
    ean: str
    mpn: str
    missing: tuple

    @property
    def fixes(self):
        return [FIXES[m] for m in self.missing]


def _candidates(tenant, config):
    shops = [row.lightspeed_shop_ls_id for row in locations_mapped(tenant)]
    stock = ItemStock.objects.for_tenant(tenant).filter(item=OuterRef("pk"), shop_ls_id__in=shops)
    stock = stock.filter(import_filters(config))
    return Item.objects.for_tenant(tenant).filter(archived=False).filter(Exists(stock))


def pending_mappings(*, tenant, config):
    """Every item a connected location would send that lacks a GTIN, an MPN, or both a default cost and an
    MSRP, by POS SKU."""
    msrp = msrp_level_ls_id(tenant)
    items = _candidates(tenant, config)
    if msrp:
        priced = ItemPrice.objects.for_tenant(tenant).filter(item=OuterRef("pk"), price_level_ls_id=msrp,
                                                             amount__gt=0)
        items = items.annotate(has_msrp=Exists(priced))
    columns = ["ls_id", "system_sku", "description", "upc", "ean", "manufacturer_sku", "default_cost"]
    columns += ["has_msrp"] if msrp else []
    for values in items.order_by("system_sku", "ls_id").values_list(*columns).iterator(chunk_size=5000):
        ls_id, sku, description, upc, ean, mpn, cost = values[:7]
        lacks_price = not (cost and cost > 0) and not (msrp and values[7])
        missing = tuple(name for name, lacking in (("gtin", not (upc or ean)), ("mpn", not mpn),
                                                    ("cost_or_msrp", lacks_price)) if lacking)
        if missing:
            yield PendingRow(ls_id, sku, description, upc, ean, mpn, missing)


def pending_mappings_csv(rows):
    """The report as CSV chunks (header first), for a streaming download."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    yield out.getvalue()
    for row in rows:
        out.seek(0)
        out.truncate()
        writer.writerow([row.pos_sku, row.description, row.upc, row.ean, row.mpn, " ".join(row.missing),
                         " ".join(row.fixes)])
        yield out.getvalue()
