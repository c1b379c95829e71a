"""The owner's order page for a Sellercloud order: the lines, total and customer of the order we built from
the Lightspeed sale (the ledger's payload), with a link to the sandbox in the demo."""
from decimal import Decimal

from django.conf import settings

from connector.channels import OrderLine, OrderView
from connector.sandbox_server import is_loopback


def sellercloud_order_view(*, order):
    body = (order.payload or {}).get("body")
    if not isinstance(body, dict):
        return None
    lines = []
    for product in body.get("Products") or []:
        price, qty = Decimal(str(product.get("SitePrice") or 0)), int(product.get("Qty") or 0)
        total = price * qty - Decimal(str(product.get("DiscountValue") or 0))
        lines.append(OrderLine(title=str(product.get("ProductName") or product.get("ProductID")), quantity=qty,
                               unit_price=price, total=total, code=str(product.get("ProductID") or "")))
    customer = body.get("CustomerDetails") or {}
    links = []
    if is_loopback(settings.SELLERCLOUD_API_URL):
        links.append(("Orders on the Sellercloud sandbox", settings.SELLERCLOUD_API_URL.rsplit("/rest", 1)[0]
                      + "/sandbox/"))
    return OrderView(lines=tuple(lines), total=sum((line.total for line in lines), Decimal(0)),
                     customer_name=f"{customer.get('FirstName', '')} {customer.get('LastName', '')}".strip(),
                     links=tuple(links))
