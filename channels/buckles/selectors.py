"""Reads for the Buckles pages and jobs: settings, mapped shops, the events and orders tables."""
from .models import BucklesEvent, BucklesOrder, BucklesSettings, BucklesShop
from .statuses import status_table

CHANNEL = "buckles"
EVENTS_SHOWN = 50


def buckles_settings_get(tenant):
    return BucklesSettings.objects.for_tenant(tenant).first()


def buckles_settings_by_token(token):
    """The settings whose webhook URL carries this token (cross-tenant by design: the URL names the tenant)."""
    return BucklesSettings.unscoped.select_related("tenant").filter(webhook_token=token).first()


def shops_mapped(tenant):
    return list(BucklesShop.objects.for_tenant(tenant).order_by("lightspeed_shop_ls_id"))


def shop_locations(tenant):
    """{Lightspeed shop id: Buckles location ("" = the default location)} of the mapped shops."""
    return {s.lightspeed_shop_ls_id: s.location for s in shops_mapped(tenant)}


def shop_for_location(tenant, location):
    """The Lightspeed shop a Buckles stock location is mapped to; a blank location is the first mapped shop."""
    shops = shops_mapped(tenant)
    for shop in shops:
        if (shop.location or "") == (location or ""):
            return shop.lightspeed_shop_ls_id
    return shops[0].lightspeed_shop_ls_id if shops and not location else None


def status_table_of(settings):
    return status_table(settings.status_map if settings else {})


def events_recent(tenant, limit=EVENTS_SHOWN):
    return list(BucklesEvent.objects.for_tenant(tenant).order_by("-received_at", "-id")[:limit])


def orders_recent(tenant, limit=EVENTS_SHOWN):
    return list(BucklesOrder.objects.for_tenant(tenant).order_by("-updated_at", "-id")[:limit])


def item_for_product(tenant, *, sku, barcode):
    """The Lightspeed item a Buckles product is: by the stored link, else SKU (custom, then system), else barcode."""
    from django.db.models import Q

    from lightspeed.models import Item

    from .models import BucklesLink

    items = Item.objects.for_tenant(tenant).filter(archived=False)
    if sku:
        link = BucklesLink.objects.for_tenant(tenant).filter(kind=BucklesLink.Kind.PRODUCT, key=sku).first()
        if link and (item := items.filter(ls_id=link.ls_id).first()):
            return item
        if item := items.filter(Q(custom_sku=sku) | Q(system_sku=sku)).order_by("ls_id").first():
            return item
    if barcode:
        return items.filter(Q(ean=barcode) | Q(upc=barcode)).order_by("ls_id").first()
    return None
