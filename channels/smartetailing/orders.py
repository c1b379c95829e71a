"""The order import job: poll feeds.cfc (method=Orders), decide per web order, hand export-ready ones to
the order pipeline, and confirm receipt (UpdateOrder, then the optional UpdateStatus) once the
Lightspeed sale exists.

Per order, keyed by its OrderId in connector.OrderLedger (channel "smartetailing"):
- unreadable (malformed XML, zero quantity, ...): "needs attention" with the reason, logged once;
- not balanced (captured != Total), or not all fulfilled while "export when fulfilled" is on: waits;
- an item that matches nothing in the mirror: "needs attention" with the unmatched lines, nothing written;
- otherwise the ChannelOrder goes to the pipeline; a ledger row with a sale is only ever confirmed again
  (SmartEtailing lists an order until UpdateOrder arrives, so a lost UpdateOrder answer repeats the
  confirmation, never the sale). A row with a sale that is no longer listed is confirmed once more too
  (UpdateOrder is idempotent): the answer was lost although SmartEtailing had it.
"""
from dataclasses import asdict

from django.db import transaction

from connector.errors import ConfigError, TransientError
from connector.http import Invalid, NotFound
from connector.models import OrderLedger
from connector.orders import ledger_claim, ledger_details_update, ledger_get_or_create
from lightspeed.client import lightspeed_client
from lightspeed.order_sales import OrderRefused, sale_from_order

from .client import order_service
from .mapping import FeedProblem, channel_order_from_web_order, feed_split, order_balanced, order_fulfilled, \
    web_order_parse
from .selectors import CHANNEL, OBJECT, credentials_complete, item_lookup, ledger_awaiting_confirmation, \
    order_booking, smartetailing_settings_get

State = OrderLedger.State
DONE = (State.ACCEPTED,)


def orders_import(*, ctx):
    config = smartetailing_settings_get(ctx.tenant)
    if not credentials_complete(config):
        raise ConfigError("Enter the SmartEtailing merchant id and URL key on the SmartEtailing page.")
    if not config.export_orders:
        ctx.info("Order export is off on the SmartEtailing page; no orders are read.")
        return
    only = (ctx.params or {}).get("order_id")
    service = order_service(config, clock=ctx.clock)
    parsed = []
    chunks = feed_split(service.orders())
    for order_id, chunk in chunks:
        if only and order_id != only:
            continue
        with ctx.record(OBJECT, order_id or "unknown"):
            try:
                parsed.append((web_order_parse(chunk), chunk))
            except FeedProblem as exc:
                _unreadable(ctx, order_id, chunk, exc)
    ctx.count("orders_listed", len(parsed))
    lookup = item_lookup(ctx.tenant, [order for order, _ in parsed])
    booking = order_booking(ctx.tenant)
    lightspeed = _lightspeed_once(ctx)
    for order, chunk in parsed:
        with ctx.record(OBJECT, order.order_id):
            order_process(ctx, service, config, order, chunk, lookup, booking, lightspeed)
    if not (ctx.dry_run or only):
        listed = {order_id for order_id, _ in chunks}
        for ledger in ledger_awaiting_confirmation(ctx.tenant).exclude(external_id__in=listed):
            with ctx.record(OBJECT, ledger.external_id):
                order_confirm(ctx, service, config, ledger)  # its UpdateOrder answer was lost; idempotent


def _ledger(ctx, order_id, chunk):
    ledger, _ = ledger_get_or_create(tenant=ctx.tenant, channel=CHANNEL, external_id=order_id,
                                     payload={"xml": chunk.decode("utf-8", "replace")})
    return ledger


def _unreadable(ctx, order_id, chunk, exc):
    message = f"SmartEtailing order {order_id or '(no OrderId)'} cannot be read: {exc}. It stays in SmartEtailing."
    if ctx.dry_run or not order_id:
        ctx.error(message, object_type=OBJECT, object_id=order_id or "unknown")
        return
    ledger = _ledger(ctx, order_id, chunk)
    if ledger.last_error != message:
        _move(ledger, State.FAILED, last_error=message, payload={"xml": chunk.decode("utf-8", "replace")})
        ctx.error(message, object_type=OBJECT, object_id=order_id)
    ctx.count("needs_attention")


def _move(ledger, state, **fields):
    ledger.state = state
    for name, value in fields.items():
        setattr(ledger, name, value)
    ledger.save()


def _wait(ctx, ledger, reason, message):
    ctx.count(f"waiting_{reason}")
    if ledger is not None and ledger.details.get("waiting") != reason:
        ledger.details = {**ledger.details, "waiting": reason}
        _move(ledger, State.RECEIVED if ledger.state == State.FAILED else ledger.state, last_error="")
        ctx.info(message, object_type=OBJECT, object_id=ledger.external_id)


def order_process(ctx, service, config, order, chunk, lookup, booking, lightspeed):
    ledger = None if ctx.dry_run else _ledger(ctx, order.order_id, chunk)
    if ledger is not None and ledger.state in DONE:
        ctx.count("already_confirmed")  # listed again although confirmed: confirm once more, nothing else
        service.update_order(order.order_id)
        return
    if ledger is not None and ledger.sale_id:
        order_confirm(ctx, service, config, ledger)
        return
    if not order_balanced(order):
        return _wait(ctx, ledger, "unbalanced", f"Waiting: {order.captured} of {order.totals['Total']} captured; "
                                                f"exported once paid in full.")
    if config.export_when_fulfilled and not order_fulfilled(order):
        return _wait(ctx, ledger, "unfulfilled", "Waiting: exported when every item is fulfilled.")
    channel_order = channel_order_from_web_order(order, items=lookup, booking=booking)
    problems = order_problems(channel_order)
    if problems:
        return _attention(ctx, ledger, order, problems, channel_order)
    if not channel_order.customer.email and not (ledger and ledger.details.get("no_email_noted")):
        ctx.warning(f"Order {order.order_id} has no e-mail address (billing or shipping): the Lightspeed customer "
                    f"cannot be found by e-mail and is created from the name.", object_type=OBJECT,
                    object_id=order.order_id)
        if ledger is not None:
            ledger_details_update(ledger, no_email_noted=True)
    for skipped in channel_order.extra["skipped_lines"]:
        ctx.info(f"Line {skipped['line']} ({skipped['description'] or 'no description'}) is a {skipped['reason']}: "
                 f"not exported to Lightspeed, and its {skipped['amount']} is left out of the sale's payments.",
                 object_type=OBJECT, object_id=order.order_id)
    if ctx.dry_run:
        ctx.info(f"would export order {order.order_id} ({len(channel_order.lines)} lines)", object_type=OBJECT,
                 object_id=order.order_id)
        return
    try:
        order_export(ctx, service, config, ledger, channel_order, lightspeed)
    except OrderRefused as exc:  # nothing was sent to Lightspeed
        _attention(ctx, ledger, order, [str(exc)], channel_order)


def order_problems(channel_order):
    problems = [f"Line “{line.title or line.sku}” ({line.sku or 'no UPC, EAN or MPN'}) matches no Lightspeed item "
                f"by POS SKU, UPC, EAN or manufacturer SKU." for line in channel_order.unmatched_lines]
    if not channel_order.lines:
        problems.append("The order has no line to export to Lightspeed.")
    if not (channel_order.shop_ls_id and channel_order.register_ls_id and channel_order.employee_ls_id):
        problems.append("Choose the shop, register and employee for SmartEtailing orders on the Lightspeed page.")
    return problems


def _attention(ctx, ledger, order, problems, channel_order):
    ctx.count("needs_attention")
    message = "Needs attention, nothing was written to Lightspeed: " + " ".join(problems)
    if ledger is None:
        ctx.warning(message, object_type=OBJECT, object_id=order.order_id)
        return
    if ledger.last_error != message:
        unmatched = [{"site_item_id": line.external_id, "sku": line.sku, "title": line.title,
                      "quantity": line.quantity, "unit_price": str(line.unit_price)}
                     for line in channel_order.unmatched_lines]
        ledger.details = {**ledger.details, "problems": problems, "unmatched_lines": unmatched}
        _move(ledger, State.FAILED, last_error=message)
        ctx.warning(message, object_type=OBJECT, object_id=order.order_id)


def order_export(ctx, service, config, ledger, channel_order, lightspeed):
    """The one completed Lightspeed sale of this order (lightspeed.order_sales: found by its reference before
    any POST, never made twice), then the confirmation back to SmartEtailing."""
    with ledger_claim(ledger) as claimed:
        if not claimed:  # another run is on this order right now
            ctx.count("busy_elsewhere")
            return
        ledger.refresh_from_db()  # read before the claim: another run may have exported it since
        if ledger.sale_id:
            order_confirm(ctx, service, config, ledger)
            return
        with transaction.atomic():
            ledger.details = {**ledger.details, "channel_order": channel_order_json(channel_order)}
            for key in ("waiting", "problems", "unmatched_lines"):
                ledger.details.pop(key, None)
            ledger.save(update_fields=["details", "updated_at"])
        outcome = sale_from_order(lightspeed(), channel_order, ledger=ledger, clock=ctx.clock,
                                  tenant=ctx.tenant, note=_note(ctx, ledger))
    ctx.count({"created": "sales_created", "found": "sales_found", "done": "sales_found",
               "settling": "sales_settling"}.get(outcome.status, outcome.status))
    if outcome.sale_id:
        ledger.refresh_from_db()
        order_confirm(ctx, service, config, ledger)


def _lightspeed_once(ctx):
    """A callable giving one Lightspeed client per run, made when the first order needs it."""
    made = []

    def client():
        if not made:
            made.append(lightspeed_client(ctx.tenant, clock=ctx.clock, yield_after=getattr(ctx, "yield_after", None)))
        return made[0]
    return client


def _note(ctx, ledger):
    def note(level, message, **data):
        getattr(ctx, level)(message, object_type=OBJECT, object_id=ledger.external_id, data=data or None)
    return note


def order_confirm(ctx, service, config, ledger):
    """The sale exists: confirm receipt, then set the status the owner chose (default: no change).

    An unanswered confirmation or status does not stop the run (the sale is made; the other orders go on):
    the row stays `sale_created` and is confirmed (and its status set) next run, listed again or not."""
    step = "the confirmation"
    try:
        service.update_order(ledger.external_id)
        step = f"setting the status “{config.status_after_export}”"
        status_error = _status_set(ctx, service, config, ledger)
    except TransientError as exc:
        ctx.count("confirm_pending")
        ctx.warning(f"The Lightspeed sale exists; SmartEtailing did not answer {step} ({exc}). It is sent again "
                    f"next run.", object_type=OBJECT, object_id=ledger.external_id)
        return
    ledger.details = {**ledger.details, "confirmed": True, "status_sent": "" if status_error else
                      config.status_after_export, "status_error": status_error}
    _move(ledger, State.ACCEPTED, last_error="")
    ctx.count("confirmed")


def _status_set(ctx, service, config, ledger):
    """UpdateStatus with the owner's status, if any; returns why SmartEtailing refused it ("" if it did not)."""
    if not config.status_after_export:
        return ""
    try:
        service.update_status(ledger.external_id, config.status_after_export)
    except (Invalid, NotFound) as exc:  # the order is confirmed; a refused status must not repeat it
        ctx.warning(f"SmartEtailing refused the status “{config.status_after_export}” for order "
                    f"{ledger.external_id}: {exc}. Check the name under Orders > Status Types.",
                    object_type=OBJECT, object_id=ledger.external_id)
        return str(exc)
    return ""


def channel_order_json(channel_order):
    return asdict(channel_order, dict_factory=lambda pairs: {k: _plain(v) for k, v in pairs})


def _plain(value):
    from decimal import Decimal

    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    return value
