"""Order import: pending Miinto transfers -> one open Lightspeed sale each, exactly once.

Per transfer: the ledger row first (connector.orders; an order that cannot be stored is a FAILED row and
the batch goes on), its reference fixed there once; then the transfer is mapped to a neutral ChannelOrder
and handed to the order pipeline (lightspeed.order_sales), which finds or creates the customer and makes
the one sale (docs/orders.md). The Miinto transfer stays pending: the store accepts it by completing the
sale (status.py).
"""
from dataclasses import dataclass

from connector.errors import ConfigError, RecordError, TransientError
from connector.http import ApiError, Unauthorized
from connector.orders import (DONE, State, ledger_claim, ledger_details_update, ledger_fail, ledger_get_or_create,
                              ledger_move)
from lightspeed.client import lightspeed_client
from lightspeed.order_sales import sale_from_order

from . import mapping
from .client import miinto_client
from .selectors import (CHANNEL, NO_SHOP_MAPPED, OBJECT, employee_for_orders, items_by_gtin, miinto_settings_get,
                        register_for_orders, shops_mapped)


@dataclass
class Deps:
    ctx: object
    config: object
    miinto: object
    ls: object

    @property
    def tenant(self):
        return self.ctx.tenant

    def info(self, ledger_or_id, message, **data):
        self.ctx.info(message, object_type=OBJECT, object_id=_oid(ledger_or_id), data=data or None)

    def warning(self, ledger_or_id, message, **data):
        self.ctx.warning(message, object_type=OBJECT, object_id=_oid(ledger_or_id), data=data or None)

    def error(self, ledger_or_id, message, **data):
        self.ctx.error(message, object_type=OBJECT, object_id=_oid(ledger_or_id), data=data or None)

    def note_on(self, ledger):
        """The pipeline's log, on this order."""
        return lambda level, message, **data: getattr(self, level)(ledger, message, **data)


def _oid(ledger_or_id):
    return getattr(ledger_or_id, "external_id", ledger_or_id)


def orders_import(*, ctx):
    """The job body: every mapped shop's pending transfers (or the one in ctx.params["transfer_id"])."""
    config = miinto_settings_get(ctx.tenant)
    if config is None or not config.enabled:
        ctx.info("Miinto is not enabled for this shop: nothing to import")
        return
    shops = shops_mapped(ctx.tenant)
    if not shops:
        raise ConfigError(f"{NO_SHOP_MAPPED} to import orders")
    only = str(ctx.params.get("transfer_id") or ctx.params.get("external_id") or "")
    with miinto_client(ctx.tenant, clock=ctx.clock) as miinto, lightspeed_client(ctx.tenant, clock=ctx.clock) as lsc:
        deps = Deps(ctx=ctx, config=config, miinto=miinto, ls=lsc)
        for shop in shops:
            for raw in transfers_pending(miinto, shop):
                transfer_id = mapping.transfer_id_of(raw)
                if only and transfer_id != only:
                    continue
                ctx.count("transfers")
                transfer_receive(deps=deps, shop=shop, raw=raw, transfer_id=transfer_id)


def transfers_pending(miinto, shop):
    try:
        return miinto.transfers_pending(shop.shop_id)
    except Unauthorized as exc:  # after re-opening the channel: a clock skew or an outage; try again later
        raise TransientError(f"Miinto refused listing the pending orders of shop {shop.shop_id}: {exc}") from None


def transfer_receive(*, deps, shop, raw, transfer_id):
    """Ledger row first (outside the record's savepoint, so it survives whatever happens next), then import."""
    if transfer_id is None:
        with deps.ctx.record(OBJECT, "?"):
            raise mapping.MalformedTransfer(
                f"Miinto sent a transfer without an id; kept in this event: {str(raw)[:1000]}")
        return
    if deps.ctx.dry_run:
        with deps.ctx.record(OBJECT, transfer_id):
            transfer_preview(deps=deps, raw=raw)
        return
    reference = mapping.reference_for(deps.config.order_prefix, transfer_id)
    ledger, created = ledger_get_or_create(tenant=deps.tenant, channel=CHANNEL, external_id=transfer_id,
                                           payload=raw, reference=reference, details={"shop_id": shop.shop_id})
    if created and ledger.state == State.FAILED:  # could not be stored as received: kept escaped, batch goes on
        deps.ctx.record_failed(OBJECT, ledger.external_id, ledger.last_error)
        return
    if created:
        deps.info(ledger, f"new pending Miinto order {transfer_id} in shop {shop.shop_id}")
    with deps.ctx.record(OBJECT, transfer_id):
        transfer_import(deps=deps, shop=shop, ledger=ledger, raw=raw)


def transfer_import(*, deps, shop, ledger, raw):
    if ledger.state in DONE:
        return declines_push(deps=deps, ledger=ledger)
    if ledger.state == State.FAILED:
        return  # waits for "retry this order"; its error is on the ledger row and in an earlier event
    with ledger_claim(ledger) as claimed:
        if not claimed:
            deps.info(ledger, "another run is importing this order right now; skipped")
            return
        ledger.refresh_from_db()
        if ledger.state not in DONE and ledger.state != State.FAILED:
            order_import(deps=deps, ledger=ledger, shop=shop, raw=raw)


def order_import(*, deps, ledger, shop, raw):
    try:
        transfer = mapping.transfer_parse(raw)
        resolved = lines_resolve(deps=deps, ledger=ledger, transfer=transfer)
        if resolved is None:
            return
        lines, unknown = resolved
        sale_ensure(deps=deps, ledger=ledger, shop=shop, transfer=transfer, lines=lines, unknown=unknown)
    except (TransientError, ConfigError):
        raise
    except (RecordError, ApiError) as exc:
        ledger_fail(ledger, str(exc))
        deps.ctx.record_failed(OBJECT, ledger.external_id, f"order {ledger.external_id} not imported: {exc}")
        return
    declines_push(deps=deps, ledger=ledger)


def lines_resolve(*, deps, ledger, transfer):
    """(position, itemID) pairs for the positions Lightspeed sells, and the unknown positions; the rest is
    logged and recorded.

    A skipped order is re-checked quietly every run: it goes ahead once the mirror knows one of its products.
    """
    items = items_by_gtin(deps.tenant, [p.gtin for p in transfer.positions if not p.problem])
    lines = [(p, items[p.gtin]) for p in transfer.positions if not p.problem and p.gtin in items]
    unknown = [p for p in transfer.positions if not p.problem and p.gtin not in items]
    invalid = [p for p in transfer.positions if p.problem]
    was_skipped = ledger.state == State.SKIPPED
    if was_skipped and not lines:
        return None
    for p in invalid:
        deps.warning(ledger, f"position {p.id} {p.problem}: left pending on Miinto", position=p.id)
    for p in unknown:
        deps.warning(ledger, f"position {p.id}: no Lightspeed product has EAN or systemSku {p.gtin}", gtin=p.gtin)
    ledger_details_update(
        ledger, currency=transfer.currency, shipping_type=mapping.shipping_type_of(transfer),
        positions={str(p.id): {"gtin": p.gtin, "item_id": item_id, "quantity": p.quantity, "price": p.price_minor}
                   for p, item_id in lines},
        unmatched_positions=[p.id for p in unknown], invalid_positions=[p.id for p in invalid],
    )
    if lines:
        if was_skipped:
            ledger_move(ledger, State.RECEIVED)
        return lines, unknown
    if unknown:
        ledger_move(ledger, State.SKIPPED, error="no Lightspeed products in this order")
        deps.warning(ledger, f"order {ledger.external_id} has no Lightspeed products: left alone on Miinto")
        deps.ctx.count("skipped")
        return None
    raise RecordError(f"order {ledger.external_id} has no usable positions ({len(invalid)} invalid)")


def sale_ensure(*, deps, ledger, shop, transfer, lines, unknown):
    register_id = register_for_orders(deps.tenant, shop.lightspeed_shop_ls_id)
    employee_id = employee_for_orders(deps.tenant)
    if not register_id or not employee_id:
        raise ConfigError("Choose the register and employee for Miinto orders (none found in Lightspeed)")
    if ledger.state == State.RECEIVED:
        missing = mapping.customer_missing_fields(transfer.billing)
        if missing:
            deps.warning(ledger, f"customer fields missing on Miinto: {', '.join(missing)}", missing=missing)
    order = mapping.channel_order_of(
        transfer=transfer, reference=mapping.reference_for(deps.config.order_prefix, transfer.id), lines=lines,
        unknown=unknown, shop_id=shop.lightspeed_shop_ls_id, register_id=register_id, employee_id=employee_id)
    outcome = sale_from_order(deps.ls, order, ledger=ledger, clock=deps.ctx.clock, tenant=deps.tenant,
                              note=deps.note_on(ledger))
    if outcome.status in ("created", "found"):
        deps.ctx.count("sales_created" if outcome.status == "created" else "sales_found")
    elif outcome.status == "settling":
        deps.ctx.count("sales_settling")
    if outcome.extras:
        deps.ctx.count("extra_sales", outcome.extras)


def declines_push(*, deps, ledger):
    """Positions without a Lightspeed product are declined on Miinto when the settings say so (once)."""
    unmatched = ledger.details.get("unmatched_positions") or []
    if not unmatched or ledger.details.get("unmatched_done") or ledger.state != State.SALE_CREATED:
        return
    if deps.config.unfulfillable_policy != deps.config.UnfulfillablePolicy.DECLINE:
        ledger_details_update(ledger, unmatched_done="left_pending")
        deps.info(ledger, f"positions {unmatched} left pending on Miinto (settings: leave pending)")
        return
    try:
        deps.miinto.transfer_decide(ledger.details["shop_id"], ledger.external_id, declined=unmatched)
    except ApiError as exc:
        if isinstance(exc, TransientError):
            raise
        raise RecordError(f"declining positions {unmatched} on Miinto failed (retried next run): {exc}") from None
    ledger_details_update(ledger, unmatched_done="declined")
    deps.info(ledger, f"positions {unmatched} declined on Miinto: no Lightspeed product")


def transfer_preview(*, deps, raw):
    transfer = mapping.transfer_parse(raw)
    items = items_by_gtin(deps.tenant, [p.gtin for p in transfer.positions if not p.problem])
    usable = [p for p in transfer.positions if not p.problem and p.gtin in items]
    deps.info(transfer.id, f"dry run: would import order {transfer.id} with {len(usable)} of "
                           f"{len(transfer.positions)} positions")
