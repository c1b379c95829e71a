"""Status sync: what happened to the open sales in Lightspeed goes back to Miinto.

Two steps, so nothing is lost between them:
1. read the watched sales from the sales mirror (lightspeed.sales_sync fills it; this job follows it, so it
   runs right after a poll that found changes); for those the ledger ties to a Miinto order, note the outcome
   (completed + shipNote, voided, archived) on the ledger row as `sync_due` — database only, no Lightspeed call;
2. push every due row to Miinto: completed -> accept the positions (+ tracking code); voided/archived ->
   decline them (or leave them, per settings.void_policy). A row that fails stays due for the next run.
"""
from datetime import timedelta

from django.utils import timezone

from connector.errors import RecordError, TransientError
from connector.http import ApiError
from connector.orders import State, ledger_details_update, ledger_fail, ledger_move
from lightspeed.sales_selectors import sale_outcome, sale_ship_note, sales_by_ls_ids

from .client import miinto_client
from .selectors import OBJECT, ledger_sync_due, ledger_watched_by_sale, miinto_settings_get

MAX_PUSH_ATTEMPTS = 5
TRACKING_WATCH = timedelta(days=14)  # a shipping instruction filled after completion still reaches Miinto


def status_sync(*, ctx):
    config = miinto_settings_get(ctx.tenant)
    if config is None or not config.enabled:
        ctx.info("Miinto is not enabled for this shop: nothing to sync")
        return
    only = str(ctx.params.get("transfer_id") or ctx.params.get("external_id") or "")
    if not only:
        outcomes_collect(ctx=ctx)
    due = ledger_sync_due(ctx.tenant, only or None)
    if not due or ctx.dry_run:
        ctx.count("due", len(due))
        return
    with miinto_client(ctx.tenant, clock=ctx.clock) as miinto:
        for ledger in due:
            with ctx.record(OBJECT, ledger.external_id):
                outcome_push(ctx=ctx, config=config, miinto=miinto, ledger=ledger)


def outcomes_collect(*, ctx):
    """Step 1: the watched sales, as the mirror has them -> outcomes on the ledger rows they belong to."""
    watched = ledger_watched_by_sale(ctx.tenant, accepted_since=timezone.now() - TRACKING_WATCH)
    if not watched:
        return
    for sale in sales_by_ls_ids(ctx.tenant, watched):
        ctx.count("sales_read")
        outcome_note(ctx=ctx, ledger=watched[str(sale.ls_id)], sale=sale)


def outcome_note(*, ctx, ledger, sale):
    tracking = sale_ship_note(sale)
    if ledger.state == State.ACCEPTED:  # accepted earlier; only a newly filled shipping instruction matters
        if tracking and tracking != ledger.details.get("tracking") and not ctx.dry_run:
            ledger_details_update(ledger, tracking=tracking, sync_due=True)
            ctx.info(f"shipping instruction {tracking} filled in Lightspeed", object_type=OBJECT,
                     object_id=ledger.external_id)
        return
    outcome = sale_outcome(sale)
    if outcome is None:
        return
    if not ctx.dry_run:
        ledger_details_update(ledger, ls_outcome=outcome, tracking=tracking, sync_due=True)
    ctx.info(f"Lightspeed sale {sale.ls_id} was {outcome}", object_type=OBJECT, object_id=ledger.external_id)


def outcome_push(*, ctx, config, miinto, ledger):
    """Step 2, one order. Miinto refusing the call is logged on the order and retried next run."""
    try:
        if ledger.details.get("ls_outcome") == "completed":
            accept_push(ctx=ctx, config=config, miinto=miinto, ledger=ledger)
        else:
            decline_push(ctx=ctx, config=config, miinto=miinto, ledger=ledger)
    except TransientError:
        raise
    except (ApiError, RecordError) as exc:
        attempts = ledger.details.get("push_attempts", 0) + 1
        ledger_details_update(ledger, push_attempts=attempts)
        message = f"updating order {ledger.external_id} on Miinto failed (attempt {attempts}): {exc}"
        if attempts >= MAX_PUSH_ATTEMPTS:
            ledger_details_update(ledger, sync_due=False)
            ledger_fail(ledger, message)
            message += "; gave up, use 'retry this order'"
        else:
            ledger.last_error = message[:2000]
            ledger.save(update_fields=["last_error", "updated_at"])
        ctx.record_failed(OBJECT, ledger.external_id, message)


def _position_ids(ledger):
    return [int(pid) for pid in (ledger.details.get("positions") or {})]


def accept_push(*, ctx, config, miinto, ledger):
    shop_id = ledger.details["shop_id"]
    if ledger.state != State.ACCEPTED:
        order_id = miinto.transfer_decide(shop_id, ledger.external_id, accepted=_position_ids(ledger))
        ledger_move(ledger, State.ACCEPTED)
        ledger_details_update(ledger, miinto_order_id=order_id)
        ctx.info(f"accepted on Miinto (order {order_id}): the Lightspeed sale {ledger.sale_id} was completed",
                 object_type=OBJECT, object_id=ledger.external_id)
        ctx.count("accepted")
    tracking = ledger.details.get("tracking")
    if tracking and ledger.details.get("tracking_sent") != tracking:
        order_id = ledger.details["miinto_order_id"]
        provider = provider_choose(miinto.shipping_providers(shop_id, order_id), config, ledger)
        miinto.ship(shop_id, order_id, position_ids=_position_ids(ledger), tracking_code=tracking, provider_id=provider)
        ledger_details_update(ledger, tracking_sent=tracking, shipping_provider_id=provider)
        ctx.info(f"tracking code {tracking} sent to Miinto", object_type=OBJECT, object_id=ledger.external_id)
    ledger_details_update(ledger, sync_due=False, push_attempts=0)
    if ledger.last_error:
        ledger_move(ledger, State.ACCEPTED)


def provider_choose(providers, config, ledger):
    """The provider mapped to the order's shipping type in settings, else the first Miinto allows."""
    allowed = [p.get("id") for p in providers or [] if isinstance(p, dict)]
    mapped = (config.shipping_method_map or {}).get(ledger.details.get("shipping_type") or "")
    if mapped in allowed:
        return mapped
    return allowed[0] if allowed else None


def decline_push(*, ctx, config, miinto, ledger):
    outcome = ledger.details.get("ls_outcome")
    if config.void_policy == config.VoidPolicy.LEAVE:
        ledger_details_update(ledger, sync_due=False, left_on_miinto=True)
        ctx.info(f"Lightspeed sale {ledger.sale_id} was {outcome}: order left as it is on Miinto (settings)",
                 object_type=OBJECT, object_id=ledger.external_id)
        return
    miinto.transfer_decide(ledger.details["shop_id"], ledger.external_id, declined=_position_ids(ledger))
    ledger_move(ledger, State.DECLINED)
    ledger_details_update(ledger, sync_due=False, push_attempts=0)
    ctx.info(f"declined on Miinto: the Lightspeed sale {ledger.sale_id} was {outcome}",
             object_type=OBJECT, object_id=ledger.external_id)
    ctx.count("declined")
