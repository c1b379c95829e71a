"""The owner's order page for a Miinto order: its positions, total and customer from the stored transfer,
with links to the order and the sale where a person can open them (the sandboxes' pages in the demo)."""
from django.conf import settings

from connector.channels import OrderLine, OrderView
from connector.sandbox_server import is_loopback

from lightspeed.models import Item

from .mapping import MalformedTransfer, minor_to_decimal, transfer_parse
from .selectors import items_by_gtin


def miinto_order_view(*, order):
    raw = order.payload or {}
    try:
        transfer = transfer_parse(raw)
    except MalformedTransfer:
        return None
    names = {p.get("id"): (p.get("item") or {}).get("name") for p in raw.get("pendingPositions") or []
             if isinstance(p, dict) and isinstance(p.get("item"), dict)}
    catalog = _catalog_names(order.tenant, [p.gtin for p in transfer.positions])
    lines = tuple(OrderLine(title=names.get(p.id) or catalog.get(p.gtin) or p.gtin or f"position {p.id}",
                            quantity=p.quantity,
                            unit_price=p.unit_price, total=minor_to_decimal(p.price_minor * p.quantity), code=p.gtin)
                  for p in transfer.positions)
    return OrderView(lines=lines, total=sum((line.total for line in lines), minor_to_decimal(0)),
                     currency=transfer.currency, customer_name=str(transfer.billing.get("name") or ""),
                     links=_links(order))


def _catalog_names(tenant, gtins):
    """{gtin: the Lightspeed item's description}, matched as the import matches (EAN, UPC, systemSku)."""
    by_gtin = items_by_gtin(tenant, gtins)
    described = dict(Item.objects.for_tenant(tenant).filter(ls_id__in=set(by_gtin.values()))
                     .values_list("ls_id", "description"))
    return {gtin: described.get(ls_id) for gtin, ls_id in by_gtin.items() if described.get(ls_id)}


def _links(order):
    """Only the sandboxes have a page a person can open without another sign-in; Miinto's and Lightspeed's
    back offices are not linked (their URLs are per account and not documented in the facts)."""
    links = []
    if is_loopback(settings.MIINTO_ORDER_URL):
        links.append(("This order on the Miinto sandbox", f"{settings.MIINTO_ORDER_URL.rstrip('/')}/sandbox/"))
    if order.sale_id and is_loopback(settings.LIGHTSPEED_API_URL):
        links.append((f"Sale #{order.sale_id} on the Lightspeed sandbox",
                      f"{settings.LIGHTSPEED_API_URL.rstrip('/')}/sandbox/"))
    return tuple(links)
