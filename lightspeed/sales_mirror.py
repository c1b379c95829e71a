"""The sales mirror: every sale Lightspeed changed since the cursor, into lightspeed.models.Sale & co.

R-Series has no webhooks, so this polls (docs/lightspeed-sales-mirror.md). A poll is two kinds of request:

1. the probe: `Sale.json?timeStamp=>=,{cursor − OVERLAP}&sort=timeStamp&archived=true`, no relations, 1 drip a
   page. Sale.timeStamp is "last modified": completing, voiding, archiving and editing all move it. The overlap
   re-reads sales committed late or changed in the cursor's second; rows whose timeStamp the mirror already has
   are dropped (de-duplication by saleID), so a poll with nothing new is this one request. TimeStamps are whole
   seconds: a sale read within SAME_SECOND of its timeStamp may change again in that second under the same
   stamp (opened, then completed at once), so it is read once more by the next poll (FRESH_KEY);
2. the details, only for the changed sales: `Sale.json?saleID=IN,[…]&load_relations=[…]`, one request per 100
   (2.8 drips: lines, payments with their type, customer and ship-to with their contacts).

The run tells the scheduler when it wrote something (`ctx.found_changes()`): the jobs that follow it run then.
"""
from datetime import timedelta

from django.core.cache import cache

from connector.clock import system_clock
from connector.errors import RecordError

from .records import format_datetime, to_datetime
from .resources import relations
from .sales_rows import known_sale_stamps, sale_id_of, sale_rows, sales_upsert
from .sync import batched, cursor_get, cursor_save

CURSOR = "lightspeed.sales"
OVERLAP = timedelta(minutes=2)
FIRST_WINDOW = timedelta(days=14)  # a new connection mirrors the last two weeks
PAGE = 100
MAX_PAGES = 10  # per run; a longer backlog runs again at once (ctx.run_again)
DETAIL_RELATIONS = ["SaleLines", "SalePayments", "SalePayments.PaymentType", "Customer", "Customer.Contact",
                    "ShipTo", "ShipTo.Contact"]
OBJECT = "lightspeed_sale"
# A sale that failed at this timeStamp is not fetched again by every poll while it is inside the overlap;
# it is retried once it changes. Kept a little longer than the overlap.
BAD_KEY = "lightspeed:sales_bad:{}"
BAD_TTL = int(OVERLAP.total_seconds() * 3)
FRESH_KEY = "lightspeed:sales_fresh:{}"
SAME_SECOND = timedelta(seconds=1.5)  # the stamp's own second, and half a second of clock skew with Lightspeed


def sales_probe(client, since):
    """Sales (archived too) whose timeStamp is at or after `since`, oldest first, without relations."""
    params = {"timeStamp": f">=,{format_datetime(since)}", "sort": "timeStamp", "archived": "true"}
    return client.iterate("Sale", params)


def sales_by_ids(client, sale_ids):
    """Up to 100 sales by id, with everything the mirror keeps."""
    ids = ",".join(str(int(i)) for i in sale_ids)
    params = {"saleID": f"IN,[{ids}]", "archived": "true", "load_relations": relations(DETAIL_RELATIONS)}
    return list(client.iterate("Sale", params))


def sales_sync(*, ctx, client):
    clock = ctx.clock or system_clock
    cursor = cursor_get(ctx.tenant, CURSOR)
    since = _since(ctx, cursor, clock)
    pages = 0
    for page in batched(sales_probe(client, since), PAGE):
        pages += 1
        ctx.count("sales.seen", len(page))
        changed = _changed(ctx.tenant, page)
        ctx.count("sales.changed", len(changed))
        if changed and not ctx.dry_run:
            _mirror(ctx, client, changed)
        if not ctx.dry_run:
            cursor_save(cursor, _newest(page))
        if pages >= MAX_PAGES and len(page) == PAGE:
            ctx.run_again()
            break
    ctx.count("requests", client.stats["requests"])
    ctx.count("drips", round(client.stats["drips"], 2))


def _since(ctx, cursor, clock):
    if ctx.params.get("since"):  # support's re-read from a moment on
        return to_datetime(str(ctx.params["since"]))
    if cursor.value is None:
        return clock.now() - FIRST_WINDOW
    return cursor.value - OVERLAP


def _stamp(raw):
    try:
        return to_datetime(raw.get("timeStamp"))
    except ValueError:
        return None


def _newest(page):
    return max((stamp for stamp in map(_stamp, page) if stamp), default=None)


def _changed(tenant, page):
    """Sale ids of the probe page the mirror does not have at this timeStamp (an unreadable row counts),
    less the ones that already failed at this timeStamp."""
    ids = {}
    for raw in page:
        try:
            ids[sale_id_of(raw)] = _stamp(raw)
        except RecordError:  # no usable id: nothing to fetch it by
            continue
    ids.pop(0, None)
    known, bad = known_sale_stamps(tenant, list(ids)), cache.get(BAD_KEY.format(tenant.pk)) or {}
    fresh = cache.get(FRESH_KEY.format(tenant.pk)) or {}
    return [sale_id for sale_id, stamp in ids.items()
            if stamp is None or fresh.get(str(sale_id)) == str(stamp)
            or (known.get(sale_id) != stamp and bad.get(str(sale_id)) != str(stamp))]


def _remember_bad(tenant, failed):
    if failed:
        key = BAD_KEY.format(tenant.pk)
        cache.set(key, {**(cache.get(key) or {}), **{str(i): str(stamp) for i, stamp in failed.items()}}, BAD_TTL)


def _remember_fresh(ctx, batch):
    """The sales just read whose timeStamp is this second's (or the last's): read again by the next poll."""
    if not batch:
        return
    key, now = FRESH_KEY.format(ctx.tenant.pk), (ctx.clock or system_clock).now()
    fresh = cache.get(key) or {}
    for rows in batch:
        sale = rows.sale
        fresh.pop(str(sale.ls_id), None)
        if sale.ls_timestamp is not None and sale.ls_timestamp > now - SAME_SECOND:
            fresh[str(sale.ls_id)] = str(sale.ls_timestamp)
    cache.set(key, fresh, BAD_TTL)


def _mirror(ctx, client, sale_ids):
    for chunk in batched(sale_ids, PAGE):
        batch, failed = [], {}
        for raw in sales_by_ids(client, chunk):
            rows = None
            with ctx.record(OBJECT, raw.get("saleID", "?")):
                rows = _parsed(ctx, raw)
            if rows is None:
                failed[raw.get("saleID")] = _stamp(raw)
            else:
                batch.append(rows)
        written = _write(ctx, batch, failed)
        _remember_bad(ctx.tenant, failed)
        _remember_fresh(ctx, [rows for rows in batch if rows.sale.ls_id not in failed])
        if written:
            ctx.found_changes()


def _parsed(ctx, raw):
    try:
        return sale_rows(ctx.tenant, raw)
    except Exception as exc:
        exc.data = {"sale": {k: _escaped(v) for k, v in raw.items() if not isinstance(v, (dict, list))}}
        raise


def _escaped(value):
    """The raw value kept for support; a NUL (which PostgreSQL cannot store) spelled out."""
    return value.replace("\x00", "\\x00") if isinstance(value, str) else value


def _write(ctx, batch, failed):
    """One bulk write; when the database refuses it, sale by sale, so one bad sale does not stop the rest."""
    if not batch:
        return 0
    try:
        counts = sales_upsert(tenant=ctx.tenant, batch=batch)
    except Exception:  # noqa: BLE001  retried row by row below, where the bad one is logged
        counts = None
    if counts is not None:
        _count(ctx, counts)
        return counts["sales"]
    written = 0
    for rows in batch:
        failed[rows.sale.ls_id] = rows.sale.ls_timestamp
        with ctx.record(OBJECT, rows.sale.ls_id):
            _count(ctx, sales_upsert(tenant=ctx.tenant, batch=[rows]))
            failed.pop(rows.sale.ls_id)
            written += 1
    return written


def _count(ctx, counts):
    for key, n in counts.items():
        ctx.count(f"{key}.written", n)
