"""Reads for the Miinto jobs: settings, mapped shops, and the mirror lookups orders need."""
from django.core.cache import cache
from django.db.models import Q

from connector.models import OrderLedger
from lightspeed.models import Employee, Item, Register
from lightspeed.selectors import pos_booking

from .models import MiintoSettings, MiintoShop

CHANNEL = "miinto"
OBJECT = "miinto_order"  # object_type of the events logged on one order
ORDERS_NAME = "Miinto"

# The start of each pause reason a saved setting can fix, with the settings that fix it: saving a change to
# one of them lifts the pauses that start so (miinto_settings_update).
CREDENTIALS_REFUSED = "Miinto refused the channel identifier/secret"
NO_SHOP_MAPPED = "Map at least one Miinto shop to a Lightspeed shop"
PAUSE_FIXED_BY = {CREDENTIALS_REFUSED: ("identifier", "secret"), NO_SHOP_MAPPED: ("shops",)}


def miinto_settings_get(tenant):
    return MiintoSettings.objects.for_tenant(tenant).first()


def shops_mapped(tenant):
    return list(MiintoShop.objects.for_tenant(tenant).filter(lightspeed_shop_ls_id__isnull=False).order_by("shop_id"))


def items_by_gtin(tenant, gtins):
    """{gtin: Lightspeed itemID} for the GTINs the mirror knows, matched as the feed writes them: EAN first, then
    UPC (also given as a 13-digit GTIN with a leading 0), then systemSku; archived items skipped."""
    gtins = {g for g in gtins if g}
    if not gtins:
        return {}
    upcs = {g: g[1:] if len(g) == 13 and g.startswith("0") else g for g in gtins}
    rows = (Item.objects.for_tenant(tenant).filter(archived=False)
            .filter(Q(ean__in=gtins) | Q(upc__in=set(upcs.values())) | Q(system_sku__in=gtins))
            .values_list("ls_id", "ean", "upc", "system_sku"))
    by_ean, by_upc, by_sku = {}, {}, {}
    for ls_id, ean, upc, sku in rows.order_by("ls_id"):
        by_ean.setdefault(ean, ls_id)
        by_upc.setdefault(upc, ls_id)
        by_sku.setdefault(sku, ls_id)
    found = {g: by_ean.get(g) or by_upc.get(upcs[g]) or by_sku.get(g) for g in gtins}
    return {g: ls_id for g, ls_id in found.items() if ls_id}


def miinto_booking(tenant):
    """The shop, register and employee chosen for Miinto orders on the Lightspeed page (or the default)."""
    return pos_booking(tenant=tenant, channel=CHANNEL)


def register_for_orders(tenant, shop_ls_id):
    """The chosen register, else the one named "Miinto" (in this shop first), else the shop's first."""
    if chosen := miinto_booking(tenant).register_ls_id:
        return chosen
    registers = Register.objects.for_tenant(tenant).filter(archived=False)
    named = registers.filter(name__iexact=ORDERS_NAME).order_by("-shop_ls_id", "ls_id")
    in_shop = named.filter(shop_ls_id=shop_ls_id).first() or named.first()
    fallback = registers.filter(shop_ls_id=shop_ls_id).order_by("ls_id").first()
    chosen = in_shop or fallback
    return chosen.ls_id if chosen else None


def employee_for_orders(tenant):
    """The chosen employee, else the one named "Miinto", else the first active one."""
    if chosen := miinto_booking(tenant).employee_ls_id:
        return chosen
    employees = Employee.objects.for_tenant(tenant).filter(archived=False).order_by("ls_id")
    named = employees.filter(Q(first_name__iexact=ORDERS_NAME) | Q(last_name__iexact=ORDERS_NAME)).first()
    chosen = named or employees.first()
    return chosen.ls_id if chosen else None


def ledger_rows(tenant):
    return OrderLedger.objects.for_tenant(tenant).filter(channel=CHANNEL)


def ledger_sync_due(tenant, external_id=None):
    rows = ledger_rows(tenant).filter(details__sync_due=True)
    if external_id:
        rows = rows.filter(external_id=external_id)
    return list(rows.order_by("id"))


def ledger_watched_by_sale(tenant, *, accepted_since):
    """Ledger rows whose Lightspeed sale the status sync watches, by sale id: open sales whose outcome is not
    known yet, and sales accepted since `accepted_since` that have not sent a tracking code yet."""
    rows = ledger_rows(tenant).exclude(sale_id="")
    open_rows = rows.filter(state=OrderLedger.State.SALE_CREATED).exclude(details__has_key="ls_outcome")
    untracked = rows.filter(state=OrderLedger.State.ACCEPTED, updated_at__gte=accepted_since).exclude(
        details__has_key="tracking_sent")
    return {row.sale_id: row for row in open_rows.union(untracked)}


def feed_fetch_key(tenant):
    return f"miinto:feed:last_fetch:{tenant.pk}"


def feed_last_fetch(*, tenant):
    """{"at": iso time, "status": 200|304|401, "user_agent", "gzip"} of Miinto's latest fetch, or None."""
    try:
        return cache.get(feed_fetch_key(tenant))
    except Exception:  # noqa: BLE001  the page matters more than the statistic
        return None


def miinto_identity_shared_warning(*, tenant):
    """A warning when this tenant's Miinto channel identifier is also set for another tenant: both would import
    the same Miinto orders ("" otherwise). Names no other tenant."""
    settings = miinto_settings_get(tenant)
    if settings is None or not settings.identifier:
        return ""
    # Cross-tenant by design: only "is this Miinto channel yours too?".
    others = MiintoSettings.unscoped.filter(identifier=settings.identifier).exclude(tenant=tenant).count()
    if not others:
        return ""
    return (f"This Miinto channel ({settings.identifier}) is also connected to {others} other shop"
            f"{'s' if others > 1 else ''} in this connector: both would import the same Miinto orders. "
            f"If that is not intended, use this shop's own Miinto channel or ask support.")
