"""Reads for SmartEtailing: settings, mapped locations, the mirror's price levels, and the ledger."""
from connector.models import OrderLedger
from lightspeed.models import PriceLevel, Shop

from .models import SmartEtailingLocation, SmartEtailingSettings

CHANNEL = "smartetailing"
TITLE = "SmartEtailing"
OBJECT = "smartetailing_order"  # object_type of the events logged on one order
LOCATION_OBJECT = "smartetailing_location"
MSRP_LEVEL_NAME = "msrp"


def smartetailing_settings_get(tenant):
    return SmartEtailingSettings.objects.for_tenant(tenant).first()


def locations_mapped(tenant):
    """The mapped locations whose Lightspeed shop is still in the mirror (an archived shop sends nothing)."""
    live = set(Shop.objects.for_tenant(tenant).filter(archived=False).values_list("ls_id", flat=True))
    rows = SmartEtailingLocation.objects.for_tenant(tenant).order_by("neighborhood_descriptor")
    return [row for row in rows if row.lightspeed_shop_ls_id in live]


def msrp_level_ls_id(tenant):
    """Lightspeed's MSRP is a price level (named "MSRP" in a new account), or None."""
    level = (PriceLevel.objects.for_tenant(tenant).filter(archived=False, name__iexact=MSRP_LEVEL_NAME)
             .order_by("ls_id").first())
    return level.ls_id if level else None


MIRROR_CURSORS = ("lightspeed.item", "lightspeed.item_shop")  # the catalog sync's high-water marks


def mirror_source_stamp(tenant, config, location):
    """What a location's file is built from, in one string: the catalog sync's cursors (items with their
    prices, and stock), the settings and the location. Unchanged: the file cannot have changed."""
    from connector.models import SyncCursor

    cursors = dict(SyncCursor.objects.for_tenant(tenant).filter(name__in=MIRROR_CURSORS).values_list("name", "value"))
    parts = [cursors.get(name) for name in MIRROR_CURSORS] + [config.updated_at, location.neighborhood_descriptor]
    return "|".join("" if part is None else str(part) for part in parts)[:200]


def credentials_complete(config):
    return bool(config and config.merchant_id and config.url_key and config.ftp_account and config.ftp_password)


def ledger_rows(tenant):
    return OrderLedger.objects.for_tenant(tenant).filter(channel=CHANNEL)


def ledger_awaiting_confirmation(tenant):
    """Orders whose Lightspeed sale exists but whose receipt SmartEtailing has not confirmed to us."""
    return ledger_rows(tenant).exclude(sale_id="").exclude(state=OrderLedger.State.ACCEPTED).order_by("id")


def item_lookup(tenant, orders):
    """The mirror's items by every key the orders name (one query per key kind; archived items skipped)."""
    from lightspeed.models import Item

    from .mapping import ItemLookup

    wanted = {"system_sku": set(), "upc": set(), "ean": set(), "manufacturer_sku": set()}
    for order in orders:
        for item in order.items:
            wanted["system_sku"].add(item.code)
            wanted["upc"].update((item.gtin1, item.gtin2))
            wanted["ean"].update((item.gtin1, item.gtin2))
            wanted["manufacturer_sku"].add(item.mpn)
    tables = {}
    live = Item.objects.for_tenant(tenant).filter(archived=False)
    for column, keys in wanted.items():
        keys.discard("")
        table, seen = {}, set()
        for ls_id, key in live.filter(**{f"{column}__in": keys}).order_by("ls_id").values_list("ls_id", column):
            if column == "manufacturer_sku" and key in seen:
                table.pop(key, None)  # not unique: an MPN that names two items matches neither
                continue
            seen.add(key)
            table.setdefault(key, ls_id)
        tables[column] = table
    return ItemLookup(by_sku=tables["system_sku"], by_upc=tables["upc"], by_ean=tables["ean"],
                      by_mpn=tables["manufacturer_sku"])


def order_booking(tenant):
    """Where exported orders are booked: the point-of-sale choice for SmartEtailing (or the default), and
    each location's shop for in-store pickups."""
    from lightspeed.selectors import pos_booking

    from .mapping import Booking

    choice = pos_booking(tenant=tenant, channel=CHANNEL)
    by_location = {row.neighborhood_descriptor: row.lightspeed_shop_ls_id for row in locations_mapped(tenant)}
    shop = choice.shop_ls_id or next(iter(by_location.values()), None)
    return Booking(shop_ls_id=shop, register_ls_id=choice.register_ls_id, employee_ls_id=choice.employee_ls_id,
                   shops_by_location=by_location)
