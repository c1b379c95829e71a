"""Reads of the sales mirror (lightspeed.sales_sync fills it): what channels use instead of paging Lightspeed."""
from .models import Sale, ShipTo


def sales_by_ls_ids(tenant, ls_ids):
    """The mirrored sales with these Lightspeed ids (the ones not mirrored yet are missing), with their ship-to."""
    ids = [int(i) for i in ls_ids if str(i).isdigit()]
    return list(Sale.objects.for_tenant(tenant).filter(ls_id__in=ids).select_related("ship_to"))


def sale_outcome(sale):
    """"voided", "archived", "completed", or None while the sale is open."""
    if sale.voided:
        return "voided"
    if sale.archived:
        return "archived"
    return "completed" if sale.completed else None


def sale_ship_note(sale):
    """The ship-to's note (channels put track & trace there), "" when the sale ships nowhere."""
    try:
        return (sale.ship_to.ship_note or "").strip()
    except ShipTo.DoesNotExist:
        return ""
