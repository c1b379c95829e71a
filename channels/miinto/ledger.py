"""The Miinto side of connector.OrderLedger: one row per transfer, explicit state moves, a per-order claim."""
import zlib
from contextlib import contextmanager

from django.db import IntegrityError, connection, transaction

from connector.models import OrderLedger

from .selectors import CHANNEL

State = OrderLedger.State
_LOCK_CLASS = zlib.crc32(b"miinto.order") & 0x7FFFFFFF


def ledger_get_or_create(*, tenant, transfer_id, payload, shop_id):
    """The row for this transfer, created before anything is written to Lightspeed."""
    rows = OrderLedger.objects.for_tenant(tenant)
    try:
        with transaction.atomic():
            return rows.get_or_create(
                tenant=tenant, channel=CHANNEL, external_id=str(transfer_id),
                defaults={"payload": payload, "details": {"shop_id": shop_id}},
            )
    except IntegrityError:  # a concurrent run created it between our read and insert
        return rows.get(channel=CHANNEL, external_id=str(transfer_id)), False


def ledger_move(ledger, state, *, error="", **fields):
    """Move to `state` (saved at once, so a crash resumes from here)."""
    ledger.state = state
    ledger.last_error = error[:2000]
    for name, value in fields.items():
        setattr(ledger, name, value)
    ledger.save()
    return ledger


def ledger_details_update(ledger, **values):
    ledger.details = {**ledger.details, **values}
    ledger.save(update_fields=["details", "updated_at"])
    return ledger


def ledger_fail(ledger, message):
    ledger.attempts += 1
    return ledger_move(ledger, State.FAILED, error=message, attempts=ledger.attempts)


@contextmanager
def ledger_claim(ledger):
    """A session-level PostgreSQL advisory lock on this order: yields False when another run holds it.

    The SQLite demo has one solo worker and SQLite serialises writers, so there it always claims."""
    if connection.vendor != "postgresql":
        yield True
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [_LOCK_CLASS, ledger.pk])
        claimed = cursor.fetchone()[0]
    try:
        yield claimed
    finally:
        if claimed:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [_LOCK_CLASS, ledger.pk])
