"""Products one way, Lightspeed -> Buckles (PROVISIONAL contract, docs/buckles.md).

Each item with a SKU is PUT to /v1/products/{sku}; Buckles links it to a product it already has with the same
SKU or barcode (e.g. created by another connection) or creates it, and answers which. The link (and the SKU
Buckles knows it by) is kept: stock flows by it. A product only Buckles has is never created in Lightspeed.
"""
from lightspeed.models import Item, ItemPrice, PriceLevel

from .client import buckles_client
from .mapping import body_hash, item_sku, product_body
from .models import BucklesLink, BucklesSettings

Kind = BucklesLink.Kind
BATCH = 200


def default_prices(tenant, item_ids):
    level = (PriceLevel.objects.for_tenant(tenant).filter(name__iexact="Default").values_list("ls_id", flat=True)
             .first() or 1)
    return dict(ItemPrice.objects.for_tenant(tenant).filter(item__ls_id__in=item_ids, price_level_ls_id=level)
                .values_list("item__ls_id", "amount"))


def products_due(tenant, limit=BATCH):
    sent = dict(BucklesLink.objects.for_tenant(tenant).filter(kind=Kind.PRODUCT).values_list("ls_id", "payload_hash"))
    items = [i for i in Item.objects.for_tenant(tenant).filter(archived=False).order_by("ls_id") if item_sku(i)]
    prices = default_prices(tenant, [i.ls_id for i in items])
    due = []
    for item in items:
        body = product_body(item, prices.get(item.ls_id))
        if sent.get(item.ls_id) != body_hash(body):
            due.append((item, body))
            if len(due) >= limit:
                break
    return due


def products_sync(*, ctx):
    settings = BucklesSettings.objects.for_tenant(ctx.tenant).first()
    if settings is None or not settings.sync_products:
        return
    due = products_due(ctx.tenant)
    if ctx.dry_run:
        ctx.count("products_due", len(due))
        return
    with buckles_client(ctx.tenant, clock=ctx.clock) as client:
        for item, body in due:
            with ctx.record("item", item.ls_id):
                product_push(ctx, client, item, body)
    if len(due) >= BATCH:
        ctx.run_again()


def product_push(ctx, client, item, body):
    answer = client.product_put(body["sku"], body)
    BucklesLink.objects.for_tenant(ctx.tenant).update_or_create(
        tenant=ctx.tenant, kind=Kind.PRODUCT, ls_id=item.ls_id,
        defaults={"buckles_id": str(answer.get("id") or ""), "key": str(answer.get("sku") or body["sku"]),
                  "linked_existing": bool(answer.get("linked")), "payload_hash": body_hash(body)})
    ctx.count("products_linked" if answer.get("linked") else "products_sent")
