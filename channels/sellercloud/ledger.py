"""The Sellercloud side of connector.OrderLedger: one row per Lightspeed sale, written before any create,
and a per-sale claim so two runs never work on one sale at once."""
import zlib
from contextlib import contextmanager

from django.db import IntegrityError, connection, transaction

from connector.models import OrderLedger

from .selectors import CHANNEL

State = OrderLedger.State
_LOCK_CLASS = zlib.crc32(b"sellercloud.order") & 0x7FFFFFFF


def ledger_get_or_create(*, tenant, sale_id, payload):
    rows = OrderLedger.objects.for_tenant(tenant)
    try:
        with transaction.atomic():
            return rows.get_or_create(tenant=tenant, channel=CHANNEL, external_id=str(sale_id),
                                      defaults={"payload": payload, "sale_id": str(sale_id)})[0]
    except IntegrityError:  # a concurrent run created it between our read and insert
        return rows.get(channel=CHANNEL, external_id=str(sale_id))


def ledger_save(ledger, *, state=None, error=None, **details):
    """Save at once (a crash resumes from here): the state, the error, and details merged in."""
    if state is not None:
        ledger.state = state
    if error is not None:
        ledger.last_error = error[:2000]
    if details:
        ledger.details = {**ledger.details, **details}
    ledger.save()
    return ledger


@contextmanager
def ledger_claim(ledger):
    """A session-level PostgreSQL advisory lock on this sale's row: yields False when another run holds it.
    (The SQLite demo has one solo worker, so there it always claims.)"""
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
