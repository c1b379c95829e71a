"""Pulling Lightspeed into the mirror: reference data, and the catalog by timeStamp cursors.

Items and stock have separate cursors because Item.timeStamp does not move when an
ItemShop's qoh does. Each incremental query starts OVERLAP before the cursor (`>=`), so a
change written in the same second as the last one we saw, or committed late, is read
again; rows whose timeStamp the mirror already has are skipped (de-duplication).
A full sync reads every item with its ItemShops in one pass (cheaper than a separate
ItemShop scan) and starts the stock cursor at the sync's start.
"""
import queue
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import islice

from django.db import connection as db_connection

from connector.clock import system_clock
from connector.errors import Yield
from connector.http import NotFound
from connector.models import SyncCursor

from . import mirror
from .services import connection_approver_save
from . import resources as ls

OVERLAP = timedelta(minutes=2)
BATCH = 500
PREFETCH_BATCHES = 8
REFERENCE_RESOURCES = {
    "Shop": ls.shops, "Register": ls.registers, "Employee": ls.employees, "PriceLevel": ls.price_levels,
    "PaymentType": ls.payment_types, "Category": ls.categories, "Manufacturer": ls.manufacturers,
}


def batched(iterable, size):
    iterator = iter(iterable)
    while batch := list(islice(iterator, size)):
        yield batch


class _Failed:
    def __init__(self, exc):
        self.exc = exc


def prefetched(batches, depth=PREFETCH_BATCHES):
    """Fetch in a background thread, so HTTP and the limiter's waits overlap the database writes.

    The thread only talks HTTP (and, for a token refresh, locks the connection row on its own
    database connection); the writes stay in the caller's thread and transaction.
    """
    pending, done, stop = queue.Queue(maxsize=depth), object(), threading.Event()

    def produce():
        try:
            for batch in batches:
                while not stop.is_set():
                    try:
                        pending.put(batch, timeout=0.1)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
            pending.put(done)
        except BaseException as exc:  # handed to the consumer, raised there
            pending.put(_Failed(exc))
        finally:
            db_connection.close()

    thread = threading.Thread(target=produce, name="lightspeed-prefetch", daemon=True)
    thread.start()
    try:
        while (batch := pending.get()) is not done:
            if isinstance(batch, _Failed):
                raise batch.exc
            yield batch
    finally:
        stop.set()
        thread.join()


def reference_sync(*, ctx, client):
    """Shops, registers, employees, price levels, payment types, categories, manufacturers, attribute sets."""
    fetched = {name: fetch(client) for name, fetch in REFERENCE_RESOURCES.items()}
    try:
        fetched["ItemAttributeSet"] = ls.item_attribute_sets(client)
    except NotFound:
        ctx.info("ItemAttributeSet is not available: using the system attribute sets (Color/Size)")
    approver = _session_employee(ctx, client)
    for name, rows in fetched.items():
        ctx.count(f"{name}.read", len(rows))
        if not ctx.dry_run:
            ctx.count(f"{name}.written", mirror.reference_upsert(tenant=ctx.tenant, resource=name, rows=rows))
    if not ctx.dry_run and approver:
        connection_approver_save(tenant=ctx.tenant, employee_ls_id=approver)


def _session_employee(ctx, client):
    """The approver's employee id; Session.json is an INFERENCE (docs/smartetailing.md), so its absence only
    leaves the approver unknown."""
    try:
        return ls.session_employee_id(client)
    except NotFound:
        ctx.info("Session is not available: the approver's role stays unknown")
        return None


def cursor_get(tenant, name):
    cursor, _ = SyncCursor.unscoped.get_or_create(tenant=tenant, name=name)
    return cursor


def cursor_save(cursor, value):
    if value is not None and (cursor.value is None or value > cursor.value):
        cursor.value = value
        cursor.save(update_fields=["value"])


def _flag(value):
    return str(value).strip().lower() in ("1", "true", "yes", "on")


def catalog_sync(*, ctx, client):
    """Items (with prices, attributes, note) and stock per shop into the mirror.

    A run that yields (connector.errors.Yield: the rate limit would keep it waiting) carries its
    progress in the Yield's `resume` params; the resumed run goes on from there (see `_Progress`).
    """
    clock = ctx.clock or system_clock
    item_cursor = cursor_get(ctx.tenant, "lightspeed.item")
    stock_cursor = cursor_get(ctx.tenant, "lightspeed.item_shop")
    progress = _Progress.resumed(ctx.params.get("resume"))
    if progress is None:
        full = _flag(ctx.params.get("full")) or item_cursor.value is None
        since = None if full else item_cursor.value - OVERLAP
        progress = _Progress(full=full, started=clock.now(), phase="items", since=since)
        if full:
            reference_sync(ctx=ctx, client=client)
    try:
        _catalog_phases(ctx, client, progress, item_cursor, stock_cursor)
    except Yield as exc:
        raise exc.with_resume(resume=progress.as_params()) from None
    ctx.count("requests", client.stats["requests"])
    ctx.count("drips", round(client.stats["drips"], 2))


def _catalog_phases(ctx, client, progress, item_cursor, stock_cursor):
    lookups = mirror.CatalogLookups(ctx.tenant)
    if progress.phase == "items":
        newest_item = _sync_items(ctx, client, lookups, since=progress.since, with_stock=progress.full,
                                  progress=progress)
        if not ctx.dry_run:
            cursor_save(item_cursor, newest_item)
        since = None if progress.full or not stock_cursor.value else stock_cursor.value - OVERLAP
        progress.phase, progress.since = "stock", since
    newest_stock = progress.started if progress.full else _sync_stock(ctx, client, lookups, since=progress.since,
                                                                      progress=progress)
    if not ctx.dry_run:
        cursor_save(stock_cursor, newest_stock)


@dataclass
class _Progress:
    """Where a catalog sync is: `phase` items or stock, read from `since` on (None: from the start)."""

    full: bool
    started: datetime
    phase: str
    since: datetime | None

    def advanced(self, newest):
        # Rows come sorted by timeStamp: the next read starts at the newest written (`>=`).
        if newest is not None:
            self.since = newest

    def as_params(self):
        return {"full": self.full, "started": self.started.isoformat(), "phase": self.phase,
                "since": self.since.isoformat() if self.since else None}

    @classmethod
    def resumed(cls, params):
        if not params:
            return None
        since = params.get("since")
        return cls(full=bool(params["full"]), started=datetime.fromisoformat(params["started"]),
                   phase=params["phase"], since=datetime.fromisoformat(since) if since else None)


def _sync_items(ctx, client, lookups, *, since, with_stock, progress):
    newest = None
    for batch in prefetched(batched(ls.items_changed_since(client, since, with_stock=with_stock), BATCH)):
        newest = max([newest] + [r.timestamp for r in batch if r.timestamp], key=lambda t: t or mirror.EPOCH)
        ctx.count("items.read", len(batch))
        if not with_stock:
            known = mirror.known_item_stamps(ctx.tenant, [r.item_id for r in batch])
            batch = [r for r in batch if r.timestamp is None or known.get(r.item_id) != r.timestamp]
        ctx.count("items.changed", len(batch))
        if batch and not ctx.dry_run:
            for key, n in mirror.items_upsert(tenant=ctx.tenant, records=batch, lookups=lookups,
                                              with_stock=with_stock).items():
                ctx.count(f"{key}.written", n)
            ctx.found_changes()  # the jobs that follow the catalog (feeds, stock pushes) run now
        progress.advanced(newest)
        ctx.flush()
    return newest


def _sync_stock(ctx, client, lookups, *, since, progress):
    newest = None
    for batch in batched(ls.item_shops_changed_since(client, since), BATCH):
        newest = max([newest] + [r.timestamp for r in batch if r.timestamp], key=lambda t: t or mirror.EPOCH)
        ctx.count("stock.read", len(batch))
        known = mirror.known_stock_stamps(ctx.tenant, [r.item_shop_id for r in batch])
        batch = [r for r in batch if r.timestamp is None or known.get(r.item_shop_id) != r.timestamp]
        ctx.count("stock.changed", len(batch))
        if batch and not ctx.dry_run:
            pk_of = _items_for_stock(ctx, client, lookups, batch)
            ctx.count("stock.written", mirror.stock_upsert(tenant=ctx.tenant, records=batch, pk_of=pk_of))
            ctx.found_changes()
        progress.advanced(newest)
    return newest


def _items_for_stock(ctx, client, lookups, batch):
    """Item pks for these stock rows; items the mirror lacks are fetched (with their stock) first."""
    ids = sorted({r.item_id for r in batch})
    pk_of = mirror.item_pks(ctx.tenant, ids)
    missing = [i for i in ids if i not in pk_of]
    for chunk in batched(missing, 100):
        records = list(ls.items_by_ids(client, chunk))
        ctx.count("items.fetched_for_stock", len(records))
        mirror.items_upsert(tenant=ctx.tenant, records=records, lookups=lookups, with_stock=True)
    if missing:
        pk_of = mirror.item_pks(ctx.tenant, ids)
        for item_id in set(missing) - set(pk_of):
            ctx.warning("stock for an item Lightspeed did not return; skipped", object_type="item", object_id=item_id)
    return pk_of
