"""One call for a channel's import loop: ledger row first, the per-order claim, then the one sale.

    for raw in listed:
        order_import(ctx=ctx, client=client, channel="x", object_type="x_order", external_id=raw["id"],
                     payload=raw, reference=f"{prefix}{raw['id']}", to_order=lambda raw, ledger: ChannelOrder(...))

`to_order` maps the payload to a ChannelOrder (a pure function; a RecordError there fails that order only).
A channel with steps of its own around the sale (e.g. per-position accepts and declines) uses the pieces directly.
"""
from connector.errors import RecordError
from connector.http import ApiError, Transient
from connector.orders import DONE, State, ledger_claim, ledger_fail, ledger_get_or_create

from .order_sales import sale_from_order


def order_import(*, ctx, client, channel, object_type, external_id, payload, reference, to_order):
    """The SaleOutcome, or None when the order is failed, done, skipped by the claim or a dry run."""
    ledger, created = ledger_get_or_create(tenant=ctx.tenant, channel=channel, external_id=external_id,
                                           payload=payload, reference=reference)
    if ledger.state == State.FAILED:
        if created:  # could not be stored as received: kept escaped on the row, the batch goes on
            ctx.record_failed(object_type, ledger.external_id, ledger.last_error)
        return None
    if ctx.dry_run:
        return None
    with ctx.record(object_type, ledger.external_id):
        return _claimed(ctx, client, ledger, object_type, payload, to_order)
    return None


def _claimed(ctx, client, ledger, object_type, payload, to_order):
    with ledger_claim(ledger) as claimed:
        if not claimed:
            ctx.info("another run is importing this order right now; skipped", object_type=object_type,
                     object_id=ledger.external_id)
            return None
        ledger.refresh_from_db()
        if ledger.state in DONE or ledger.state == State.FAILED:
            return None
        try:
            outcome = sale_from_order(client, to_order(payload, ledger), ledger=ledger, clock=ctx.clock,
                                      tenant=ctx.tenant, note=_note(ctx, object_type, ledger))
        except Transient:
            raise
        except (RecordError, ApiError) as exc:  # kept on the row: not raised, so no savepoint rolls it back
            ledger_fail(ledger, str(exc))
            ctx.record_failed(object_type, ledger.external_id, f"order {ledger.external_id} not imported: {exc}")
            return None
        ctx.count(f"sales_{outcome.status}")
        return outcome


def _note(ctx, object_type, ledger):
    def note(level, message, **data):
        getattr(ctx, level)(message, object_type=object_type, object_id=ledger.external_id, data=data or None)
    return note
