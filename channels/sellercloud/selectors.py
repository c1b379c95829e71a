"""Reads for the Sellercloud jobs and pages: settings, the shops mapping, product links and the sales to send."""
from django.db.models import BigIntegerField
from django.db.models.functions import Cast

from connector.models import OrderLedger
from lightspeed.models import Item, PaymentType, Sale, Shop

from .models import SellercloudProduct, SellercloudSettings, SellercloudShop

CHANNEL = "sellercloud"
OBJECT = "sellercloud_order"  # object_type of the events logged on one order
DONE_STATES = (OrderLedger.State.ACCEPTED, OrderLedger.State.SKIPPED, OrderLedger.State.FAILED)


def sellercloud_settings_get(tenant):
    return SellercloudSettings.objects.for_tenant(tenant).first()


def shops_mapping(tenant):
    """Every mirrored Lightspeed shop with its mapping row (None when never mapped), by shop id."""
    rows = {r.shop_ls_id: r for r in SellercloudShop.objects.for_tenant(tenant)}
    return [(shop, rows.get(shop.ls_id)) for shop in Shop.objects.for_tenant(tenant).filter(archived=False)
            .order_by("ls_id")]


def shops_mapped(tenant):
    """Mapped shops that have at least one warehouse: the only ones that send and receive anything."""
    return [s for s in SellercloudShop.objects.for_tenant(tenant).order_by("shop_ls_id") if s.warehouse_ids]


def warehouse_names(settings):
    return {int(w["ID"]): w.get("Name") or f"#{w['ID']}" for w in (settings.warehouses if settings else [])}


def ledger_rows(tenant):
    return OrderLedger.objects.for_tenant(tenant).filter(channel=CHANNEL)


def sales_to_send(tenant, *, shop_ls_ids, since, limit, only=None):
    """Completed, unvoided sales of these shops completed after `since`, not sent yet (oldest first);
    `only`: that one sale (a retry), whatever its completion time."""
    done = ledger_rows(tenant).filter(state__in=DONE_STATES, external_id__regex=r"^[0-9]{1,18}$").annotate(
        sale_ls_id=Cast("external_id", BigIntegerField())).values("sale_ls_id")
    sales = (Sale.objects.for_tenant(tenant).filter(completed=True, voided=False, shop_ls_id__in=shop_ls_ids)
             .exclude(ls_id__in=done))
    if only is not None:
        sales = sales.filter(ls_id=int(only))
    elif since is not None:
        sales = sales.filter(complete_time__gt=since)
    return list(sales.select_related("ship_to").prefetch_related("lines", "payments")
                .order_by("complete_time", "ls_id")[:limit])


def sku_by_item(tenant, item_ls_ids):
    rows = SellercloudProduct.objects.for_tenant(tenant).filter(item_ls_id__in=set(item_ls_ids))
    return {ls_id: sku for ls_id, sku in rows.order_by("sku").values_list("item_ls_id", "sku")}


def item_names(tenant, item_ls_ids):
    return dict(Item.objects.for_tenant(tenant).filter(ls_id__in=set(item_ls_ids))
                .values_list("ls_id", "description"))


def payment_kinds(tenant):
    """{payment type ls_id: its Lightspeed type ("cash", "credit card", ...)}."""
    return {ls_id: (kind or name).lower() for ls_id, kind, name in
            PaymentType.objects.for_tenant(tenant).values_list("ls_id", "type", "name")}


def products_linked(tenant):
    return SellercloudProduct.objects.for_tenant(tenant).exclude(item_ls_id=None)
