"""Order download (Lightspeed -> Sellercloud): each completed sale of a mapped shop, read from the sales
mirror, becomes exactly one Sellercloud Local Store order.

Exactly once, per sale:
1. the ledger row (connector.OrderLedger, channel "sellercloud") exists before anything is created;
2. the sale is claimed (advisory lock), so a concurrent run skips it;
3. its order is looked up by `OrderSourceOrderID` = saleID (one GET for the whole batch; again, alone, when
   a create's answer was lost) before any create; the create itself is never resent blindly;
4. each later step (payments, shipped, returns) is recorded in the ledger as it is done; payments carry the
   Lightspeed payment id as ReferenceNumber and are reconciled against the order before a resend.
"""
from collections import defaultdict

from connector.errors import RecordError
from connector.http import ApiError, Invalid, Misconfigured, NotFound, Transient
from connector.orders import ledger_claim
from lightspeed.models import Customer

from .client import sellercloud_client
from .ledger import State, ledger_get_or_create, ledger_save
from .mapping import order_plan
from .selectors import (DONE_STATES, OBJECT, item_names, payment_kinds, sales_to_send, sellercloud_settings_get,
                        shops_mapped, sku_by_item)

BATCH = 50  # one lookup GET per batch (the Orders page cap)


class Lookups:
    """What every sale of one batch needs from the mirror, read once."""

    def __init__(self, tenant, sales, settings):
        items = {line.item_ls_id for sale in sales for line in sale.lines.all()}
        self.skus = sku_by_item(tenant, items)
        self.names = item_names(tenant, items)
        self.kinds = payment_kinds(tenant)
        self.customers = {c.ls_id: c for c in Customer.objects.for_tenant(tenant).filter(
            ls_id__in={s.customer_ls_id for s in sales if s.customer_ls_id})}
        self.company = settings.company_address if settings.use_company_address else None


def plan_for(sale, shop, settings, lookups):
    ship_to = getattr(sale, "ship_to", None)  # None when the sale has no ShipTo
    return order_plan(sale, lines=list(sale.lines.all()), payments=list(sale.payments.all()),
                      customer=lookups.customers.get(sale.customer_ls_id), ship_to=ship_to,
                      company_id=settings.company_id, sku_by_item=lookups.skus, item_names=lookups.names,
                      kinds=lookups.kinds, warehouse_id=shop.warehouse_ids[0], company=lookups.company)


def orders_find(client, sale_ids, company_id):
    """{saleID: Sellercloud order id} of the orders that already exist (the oldest when there are two)."""
    found = defaultdict(list)
    for order in client.orders_by_source(sale_ids, company_id=int(company_id)):
        found[str(order.get("OrderSourceOrderID"))].append(int(order["ID"]))
    return {sale_id: min(ids) for sale_id, ids in found.items()}


def orders_download(*, ctx):
    settings = sellercloud_settings_get(ctx.tenant)
    if settings is None or not (settings.lightspeed_pos_enabled and settings.order_download):
        ctx.info("Order download is off (Lightspeed POS Enabled / Enable Order Download).")
        return
    if not settings.company_id:
        raise Misconfigured("Enter the Sellercloud company id: orders are created in that company.")
    shops = {s.shop_ls_id: s for s in shops_mapped(ctx.tenant)}
    if not shops:
        ctx.info("No Lightspeed shop is mapped to a Sellercloud warehouse, so no sale is sent.")
        return
    sales = sales_to_send(ctx.tenant, shop_ls_ids=list(shops), since=settings.orders_since, limit=BATCH + 1,
                          only=ctx.params.get("sale_id"))  # "retry this order" names its sale
    if len(sales) > BATCH:
        sales = sales[:BATCH]
        ctx.run_again()
    if not sales:
        return
    lookups = Lookups(ctx.tenant, sales, settings)
    with sellercloud_client(ctx.tenant, clock=ctx.clock) as client:
        existing = orders_find(client, [str(s.ls_id) for s in sales], settings.company_id)
        for sale in sales:
            with ctx.record(OBJECT, sale.ls_id):
                order_send(ctx, client, settings, shops[sale.shop_ls_id], sale, lookups, existing)


def order_send(ctx, client, settings, shop, sale, lookups, existing):
    plan = plan_for(sale, shop, settings, lookups)
    if ctx.dry_run:
        found = existing.get(str(sale.ls_id))
        ctx.info(f"Sale {sale.ls_id}: " + (f"already order {found}" if found else
                 f"would create an order with {len(plan.body['Products'])} items"), object_type=OBJECT,
                 object_id=sale.ls_id, data={"body": plan.body})
        return
    ledger = ledger_get_or_create(tenant=ctx.tenant, sale_id=sale.ls_id, payload={"body": plan.body})
    with ledger_claim(ledger) as claimed:
        if not claimed:
            ctx.info(f"Sale {sale.ls_id} is being sent by another run.", object_type=OBJECT, object_id=sale.ls_id)
            return
        ledger.refresh_from_db()
        if ledger.state in DONE_STATES:
            return
        try:
            order_complete(ctx, client, settings, ledger, plan, existing)
        except (Invalid, NotFound) as exc:  # Sellercloud refuses this sale's data: it needs the owner
            ledger.attempts += 1
            ledger_save(ledger, state=State.FAILED, error=str(exc))
            raise RecordError(f"Sellercloud refused sale {sale.ls_id}: {exc}. Fix it (the mapping, the warehouse "
                              f"or the product) and retry the order.", data={"status": exc.status}) from None
        except ApiError as exc:  # transient: the run is retried; the ledger says where it stopped
            ledger.attempts += 1
            ledger_save(ledger, error=str(exc))
            raise


def order_complete(ctx, client, settings, ledger, plan, existing):
    order_id = ledger.details.get("order_id")
    if order_id is None:
        order_id = order_find_or_create(ctx, client, settings, ledger, plan, existing)
    payments_send(client, ledger, order_id, plan)
    if not ledger.details.get("shipped"):
        client.order_ship({"OrderID": order_id, **plan.ship})
        ledger_save(ledger, shipped=True)
    returns_readd(ctx, client, settings, ledger, plan)
    ledger_save(ledger, state=State.ACCEPTED, error="")
    if plan.unknown_items:
        ctx.warning(f"Sale {ledger.external_id}: Lightspeed items {plan.unknown_items} have no Sellercloud product; "
                    f"they are on order {order_id} as UNKNOWN.", object_type=OBJECT, object_id=ledger.external_id,
                    data={"unknown_items": plan.unknown_items})
        ctx.count("unknown_items", len(plan.unknown_items))


def order_find_or_create(ctx, client, settings, ledger, plan, existing):
    sale_id = ledger.external_id
    order_id = existing.get(sale_id)
    if order_id is None and ledger.state == State.SALE_PENDING:  # an earlier create may have got through
        order_id = orders_find(client, [sale_id], settings.company_id).get(sale_id)
    if order_id is not None:
        ledger_save(ledger, state=State.SALE_CREATED, order_id=order_id, found=True)
        ctx.count("orders_found")
        return order_id
    ledger_save(ledger, state=State.SALE_PENDING)
    try:
        order_id = client.order_create(plan.body)
    except Transient:
        order_id = orders_find(client, [sale_id], settings.company_id).get(sale_id)
        if order_id is None:
            raise
    ledger_save(ledger, state=State.SALE_CREATED, order_id=order_id)
    ctx.count("orders_created")
    return order_id


def payments_send(client, ledger, order_id, plan):
    done = set(ledger.details.get("payments_done") or [])
    pending = [p for p in plan.payments if p["ReferenceNumber"] not in done]
    if not pending:
        return
    if ledger.details.get("payments_started"):  # an answer may have been lost: see what the order has
        order = client.order_get(order_id) or {}
        done |= {p.get("TransactionReferenceNumber") for p in order.get("Payments") or []}
    ledger_save(ledger, payments_started=True)
    for payment in pending:
        if payment["ReferenceNumber"] in done:
            continue
        client.payment_receive(order_id, payment)
        done.add(payment["ReferenceNumber"])
        ledger_save(ledger, payments_done=sorted(done & {p["ReferenceNumber"] for p in plan.payments}))


def returns_readd(ctx, client, settings, ledger, plan):
    """Returned lines re-add their stock into the Returns Warehouse, once: the quantity expected afterwards is
    recorded before the adjustment, so a resumed run checks it instead of adding twice."""
    wanted = defaultdict(int)
    for line in plan.returns:
        if line["sku"]:
            wanted[line["sku"]] += line["qty"]
    if not wanted:
        return
    warehouse = settings.returns_warehouse_id
    if not warehouse:
        ctx.warning(f"Sale {ledger.external_id} has returns but no Returns Warehouse is chosen: their stock was "
                    f"not re-added.", object_type=OBJECT, object_id=ledger.external_id)
        return
    state = dict(ledger.details.get("returns") or {})
    for sku, qty in sorted(wanted.items()):
        entry = state.get(sku) or {}
        if entry.get("done"):
            continue
        current = client.warehouse_qty(sku, warehouse)
        if "expected" in entry and current >= entry["expected"]:
            state[sku] = {**entry, "done": True}
            ledger_save(ledger, returns=state)
            continue
        state[sku] = {"expected": current + qty}
        ledger_save(ledger, returns=state)
        client.stock_adjust({"ProductID": sku, "Qty": qty, "AdjustmentType": 1, "WarehouseID": warehouse,
                             "Reason": f"Returned in Lightspeed sale {ledger.external_id}"})
        state[sku] = {**state[sku], "done": True}
        ledger_save(ledger, returns=state)
        ctx.count("returns_readded", qty)
