"""The order ledger, for every channel that imports orders: one row per (tenant, channel, external id).

The row is written before anything is written to Lightspeed, and every step moves its state, so a crash, a
lost answer or a second delivery resumes instead of repeating a write. The reference (Lightspeed's
referenceNumber) is fixed on the row once and always reused. The exactly-once sale itself is
lightspeed.order_sales; docs/orders.md has the states and the settle window.
"""
import json
import math
import zlib
from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.db import DataError, IntegrityError, connection, transaction

from .models import OrderLedger

State = OrderLedger.State
DONE = frozenset({State.SALE_CREATED, State.ACCEPTED, State.DECLINED})
EXTERNAL_ID_MAX = OrderLedger._meta.get_field("external_id").max_length
INT_MAX = 2 ** 63 - 1  # what a number in a stored order may be at most (PostgreSQL bigint)
WATCH_HOURS = 24  # after an ambiguous sale POST, the reconcile job looks the reference up again this long


class UnstorableOrder(ValueError):
    pass


# -- the settle window ---------------------------------------------------------------------------------

def settle_window_seconds():
    """How long after an ambiguous sale POST no new POST may be sent (reasoning in docs/orders.md):
    twice the longest a call of ours may take (HTTP_DEADLINE_SECONDS), and never less than four read
    timeouts, so a request held by an intermediary up to our own deadline has landed or been dropped."""
    return max(2 * settings.HTTP_DEADLINE_SECONDS, 4 * settings.HTTP_TIMEOUT_SECONDS)


# -- storing what a channel sent -----------------------------------------------------------------------

def payload_problem(value, path="order"):
    """Why this payload cannot be stored as JSON in PostgreSQL (or carries impossible numbers), or ""."""
    if isinstance(value, str):
        return f"{path} contains a NUL character" if "\x00" in value else ""
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, int):
        return f"{path} is the impossible number {value}" if abs(value) > INT_MAX else ""
    if isinstance(value, float):
        return "" if math.isfinite(value) else f"{path} is the impossible number {value}"
    if isinstance(value, dict):
        for key, child in value.items():
            problem = payload_problem(str(key), f"{path} key") or payload_problem(child, f"{path}.{key}")
            if problem:
                return problem
        return ""
    if isinstance(value, (list, tuple)):
        for index, child in enumerate(value):
            problem = payload_problem(child, f"{path}[{index}]")
            if problem:
                return problem
        return ""
    return f"{path} has a value of type {type(value).__name__}"


def escaped(value):
    """The payload as ASCII JSON text: NUL and every other control character survive as \\u escapes."""
    try:
        return json.dumps(value, ensure_ascii=True, default=repr)
    except (ValueError, TypeError, RecursionError):
        return repr(value).encode("unicode_escape").decode("ascii")


def external_id_storable(external_id):
    """The id as the ledger stores it: escaped and cut to the column when it cannot be stored as it is."""
    text = str(external_id)
    if "\x00" in text or len(text) > EXTERNAL_ID_MAX or not text.isprintable():
        text = text.encode("unicode_escape").decode("ascii")
        if len(text) > EXTERNAL_ID_MAX:
            digest = f"~{zlib.crc32(text.encode()):08x}"
            text = text[:EXTERNAL_ID_MAX - len(digest)] + digest
    return text


# -- the ledger services -------------------------------------------------------------------------------

def ledger_rows(tenant, channel=None):
    rows = OrderLedger.objects.for_tenant(tenant)
    return rows.filter(channel=channel) if channel else rows


def ledger_get_or_create(*, tenant, channel, external_id, payload, reference="", details=None):
    """The row for this order, created before anything is written to Lightspeed; (row, created).

    Never raises for what the channel sent: an order that cannot be stored (a NUL character, an impossible
    number, an id too long) becomes a FAILED row keeping the payload escaped, with a clear message."""
    key = external_id_storable(external_id)
    problem = payload_problem(payload) or ("" if key == str(external_id) else "the order id cannot be stored as sent")
    if problem:
        return _ledger_unstorable(tenant=tenant, channel=channel, external_id=key, payload=payload, problem=problem)
    defaults = {"payload": payload, "details": dict(details or {}), "reference": str(reference)[:120]}
    try:
        return _get_or_create(tenant, channel, key, defaults)
    except (DataError, ValueError) as exc:  # what the checks above did not foresee
        return _ledger_unstorable(tenant=tenant, channel=channel, external_id=key, payload=payload,
                                  problem=f"the database refused it ({str(exc).splitlines()[0][:200]})")


def _get_or_create(tenant, channel, external_id, defaults):
    rows = ledger_rows(tenant)
    try:
        with transaction.atomic():
            return rows.get_or_create(tenant=tenant, channel=channel, external_id=external_id, defaults=defaults)
    except IntegrityError:  # a concurrent run created it between our read and insert
        return rows.get(channel=channel, external_id=external_id), False


def _ledger_unstorable(*, tenant, channel, external_id, payload, problem):
    message = (f"order {external_id} could not be stored as received: {problem}. It is kept escaped on this "
               f"row; fix or decline it on the channel, then retry it")
    defaults = {"state": State.FAILED, "last_error": message, "attention": message,
                "payload": {"unstorable": escaped(payload)[:1_000_000], "problem": problem}}
    ledger, created = _get_or_create(tenant, channel, external_id, defaults)
    if not created and ledger.state not in DONE and ledger.state != State.FAILED:  # retried, still unstorable
        ledger_attention(ledger_fail(ledger, message), message)
    return ledger, created


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


def ledger_reference_fix(ledger, reference):
    """The row's reference: written once (the first time one is known), then always the one reused."""
    if not ledger.reference:
        ledger.reference = str(reference)[:120]
        ledger.save(update_fields=["reference", "updated_at"])
    return ledger.reference


def ledger_attention(ledger, message):
    """Flag the row for a person (orders page, admin); repeated messages are not added twice."""
    lines = [line for line in ledger.attention.splitlines() if line]
    if message not in lines:
        ledger.attention = "\n".join([*lines, message])[:4000]
        ledger.save(update_fields=["attention", "updated_at"])
    return ledger


def ledger_sale_attempt(ledger, *, now, extra_details=None):
    """Right before a sale POST: SALE_PENDING, when it started, and no other POST before the settle window
    passed. Saved before the request goes out."""
    ledger.state = State.SALE_PENDING
    ledger.last_error = ""
    ledger.pending_since = ledger.pending_since or now
    ledger.settle_after = now + timedelta(seconds=settle_window_seconds())
    ledger.details = {**ledger.details, **(extra_details or {}),
                      "sale_posts": int(ledger.details.get("sale_posts") or 0) + 1}
    ledger.save()
    return ledger


def ledger_watch(ledger, *, now):
    """An attempt ended without a clear answer (or a worker died during it): the reconcile job looks the
    reference up again for WATCH_HOURS, in case a held request still lands."""
    ledger.watch_until = max(ledger.watch_until or now, now + timedelta(hours=WATCH_HOURS))
    ledger.save(update_fields=["watch_until", "updated_at"])
    return ledger


def ledger_sale_refused(ledger, message):
    """The POST was answered with a refusal (4xx): it made nothing, so the next attempt need not wait."""
    ledger.settle_after = None
    return ledger_fail(ledger, message)


def ledger_sale_recorded(ledger, sale_id, *, state=State.SALE_CREATED):
    """The sale is ours: named on the row, and remembered among the sales this row made."""
    sale_id = str(sale_id)
    ids = [str(s) for s in ledger.sale_ids or []]
    return ledger_move(ledger, state, sale_id=sale_id, settle_after=None,
                       sale_ids=ids if sale_id in ids else [*ids, sale_id])


def ledger_sale_extra(ledger, sale_id):
    """A second sale of ours for this order (voided or flagged): remembered, the row still names the first."""
    ids = [str(s) for s in ledger.sale_ids or []]
    if str(sale_id) not in ids:
        ledger.sale_ids = [*ids, str(sale_id)]
        ledger.save(update_fields=["sale_ids", "updated_at"])
    return ledger


def ledgers_watched(tenant, *, now, limit=200):
    """Rows whose reference the reconcile job looks up again (an ambiguous POST may still land)."""
    rows = ledger_rows(tenant).filter(watch_until__gt=now).exclude(reference="")
    return list(rows.order_by("watch_until")[:limit])


def _lock_key(channel):
    return zlib.crc32(f"{channel}.order".encode()) & 0x7FFFFFFF


@contextmanager
def ledger_claim(ledger):
    """A session-level PostgreSQL advisory lock on this order: yields False when another run holds it.

    The SQLite demo has one solo worker and SQLite serialises writers, so there it always claims."""
    if connection.vendor != "postgresql":
        yield True
        return
    key = _lock_key(ledger.channel)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [key, ledger.pk])
        claimed = cursor.fetchone()[0]
    try:
        yield claimed
    finally:
        if claimed:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [key, ledger.pk])
