"""Benchmark: Buckles (PROVISIONAL contract, docs/buckles.md) — near-real-time orders and 1,000 stock events.

    .venv/bin/python bench/buckles.py [--minutes 60] [--sale-every 4] [--mirror-every 10] [--events 1000]

Database: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/bench_buckles, created and migrated if
missing); Redis db 7. Everything runs on one FakeClock: the hour is virtual, rate-limit waits are virtual.

Printed, measured in the same run:
  orders: a sale completes every `--sale-every` s for `--minutes`; the sales mirror (built elsewhere) is modelled as
    a poll every `--mirror-every` s that writes the sales completed since into the mirror; `buckles.orders_push` runs
    at its 10 s interval. Latency = the virtual time Buckles stored the order - the sale's completion: p50/p95/max.
    Lightspeed cost of near-real-time orders: requests the Buckles jobs made to Lightspeed (minimum 0: they read the
    mirror) plus the mirror's own poll (one `GET Sale.json` per poll, its documented cost), per minute, as a share
    of a one-register bucket (drip 1/s = 60 drips a minute). Buckles calls per order against the minimum (1).
  stock: `--events` stock.changed events (one item each) received through the webhook service and applied:
    real time to receive, real and virtual time to apply, Lightspeed PUTs against the minimum (one per event), and
    the virtual time against the bucket-limited minimum ((drips - bucket size) / drip rate).
"""
import argparse
import json
import statistics
from collections import Counter
import time
from datetime import datetime, timezone
from decimal import Decimal

from _setup import bench_setup, lightspeed_connect

BENCH_DB = bench_setup("bench_buckles", redis_db=7)
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402

from channels.buckles.events import webhook_receive  # noqa: E402
from channels.buckles.mapping import item_sku  # noqa: E402
from channels.buckles.models import BucklesEvent, BucklesSettings, BucklesShop  # noqa: E402
from channels.buckles.sandbox import BucklesSandbox  # noqa: E402
from channels.buckles.signing import signed_headers  # noqa: E402
from connector.clock import FakeClock  # noqa: E402
from connector.http import transport_overrides  # noqa: E402
from connector.runs import run_job  # noqa: E402
from lightspeed.costs import request_cost  # noqa: E402
from lightspeed.models import Item, ItemStock, Sale, SaleLine, SalePayment  # noqa: E402
from lightspeed.ratelimit import DEFAULT_DRIP, DEFAULT_SIZE  # noqa: E402
from lightspeed.sandbox import LightspeedSandbox  # noqa: E402
from tenants.models import Tenant  # noqa: E402

PUSH_EVERY = 10  # buckles.orders_push interval (jobs.py)
PUSH_OFFSET = 3
MIRROR_POLL = ("GET", "/API/V3/Account/1/Sale.json", {
    "updatetime": ">,2026-01-01T00:00:00+00:00", "load_relations": json.dumps(
        ["SaleLines", "SalePayments", "Customer", "ShipTo"])})


def must(run):
    if run.status not in ("succeeded", "partial"):
        raise SystemExit(f"{run.job} {run.status}: {run.error}\n{run.traceback}")
    return run


def setup(items):
    from lightspeed.ratelimit import _redis

    clock = FakeClock(start=datetime(2026, 9, 21, 8, tzinfo=timezone.utc).timestamp())
    ls_sb = LightspeedSandbox(items=items, shops=1, registers=1, seed=14, clock=clock)
    bk_sb = BucklesSandbox(clock=clock, seed=14, rate_per_second=1000, burst=10000)
    transport_overrides["lightspeed"], transport_overrides["buckles"] = ls_sb.transport(), bk_sb.transport()
    settings.LIGHTSPEED_CLIENT_ID, settings.LIGHTSPEED_CLIENT_SECRET = ls_sb.client_id, ls_sb.client_secret
    if settings.REDIS_URL:
        for key in _redis().scan_iter("lightspeed:bucket:*"):
            _redis().delete(key)
    Tenant.objects.filter(slug="bench-buckles").delete()
    tenant = Tenant.objects.create(slug="bench-buckles", name="Bench Buckles")
    lightspeed_connect(tenant, ls_sb, clock)
    for job in ("lightspeed.reference_sync", "lightspeed.catalog_sync"):
        must(run_job(tenant=tenant, job=job, clock=clock))
    BucklesSettings.objects.create(tenant=tenant, enabled=True, api_token=bk_sb.token,
                                   webhook_secret=bk_sb.webhook_secret, sync_customers=False, sync_checkouts=False)
    BucklesShop.objects.create(tenant=tenant, lightspeed_shop_ls_id=1)
    ls_sb.reset_bucket()
    return tenant, clock, ls_sb, bk_sb


def mirror_write(tenant, sale_id, completed_at, item):
    when = datetime.fromtimestamp(completed_at, tz=timezone.utc)
    sale = Sale.objects.create(tenant=tenant, ls_id=sale_id, shop_ls_id=1, register_ls_id=1, employee_ls_id=1,
                               completed=True, total=Decimal("19.95"), subtotal=Decimal("19.95"), complete_time=when,
                               create_time=when, ls_timestamp=when)
    SaleLine.objects.create(tenant=tenant, sale=sale, ls_id=sale_id, item_ls_id=item.ls_id, quantity=1,
                            unit_price=Decimal("19.95"), total=Decimal("19.95"))
    SalePayment.objects.create(tenant=tenant, sale=sale, ls_id=sale_id, payment_type_ls_id=1, amount=Decimal("19.95"))


def bench_orders(tenant, clock, ls_sb, bk_sb, minutes, sale_every, mirror_every):
    items = list(Item.objects.for_tenant(tenant).filter(archived=False)[:50])
    start, completed, waiting = clock.time(), {}, []
    ls_before, bk_before = len(ls_sb.request_log), len(bk_sb.request_log)
    real0 = time.perf_counter()
    if not minutes:
        return
    for second in range(1, minutes * 60 + 1):
        clock.advance(1)
        if second % sale_every == 0:
            sale_id = 100000 + second
            completed[sale_id] = clock.time()
            waiting.append(sale_id)
        if second % mirror_every == 0:
            for sale_id in waiting:
                mirror_write(tenant, sale_id, completed[sale_id], items[sale_id % len(items)])
            waiting = []
        if second % PUSH_EVERY == PUSH_OFFSET:  # the scheduler's slot is not aligned with the mirror's
            must(run_job(tenant=tenant, job="buckles.orders_push", clock=clock))
    real = time.perf_counter() - real0
    latencies = sorted(bk_sb.orders[("lightspeed", str(sid))]["timeline"][0]["at"] - at
                       for sid, at in completed.items() if ("lightspeed", str(sid)) in bk_sb.orders)
    ls_calls = len(ls_sb.request_log) - ls_before
    bk_calls = [r for r in bk_sb.request_log[bk_before:] if r["path"].startswith("/v1/orders")]
    poll_cost = request_cost(*MIRROR_POLL)
    per_minute = 60 / mirror_every
    share = (ls_calls / minutes + per_minute * poll_cost) / (DEFAULT_DRIP * 60)
    p95 = latencies[int(0.95 * (len(latencies) - 1))] if latencies else float("nan")
    print(f"\n=== orders: a sale every {sale_every}s for {minutes} min, mirror poll every {mirror_every}s, "
          f"push every {PUSH_EVERY}s (virtual {clock.time() - start:.0f}s, real {real:.1f}s) ===")
    p50 = statistics.median(latencies)
    print(f"sent {len(latencies)}/{len(completed)}  latency completion->Buckles p50 {p50:.1f}s "
          f"p95 {p95:.1f}s max {latencies[-1]:.1f}s (target p95 <= 30s; worst case = mirror poll + push "
          f"interval = {mirror_every + PUSH_EVERY}s)")
    print(f"Lightspeed requests by the Buckles jobs {ls_calls} (minimum 0); the mirror's poll "
          f"{per_minute:.1f} requests/min x {poll_cost:.1f} drips = {per_minute * poll_cost:.1f} drips/min, "
          f"shared by every channel = {share:.1%} of a one-register bucket ({DEFAULT_DRIP * 60:.0f} drips/min)")
    per_order = len(bk_calls) / max(1, len(latencies))
    print(f"Buckles order calls {len(bk_calls)} for {len(latencies)} orders = {per_order:.2f}/order "
          f"(minimum 1, ratio {per_order:.2f})")


def bench_stock(tenant, clock, ls_sb, bk_sb, events):
    must(run_job(tenant=tenant, job="buckles.products_push", clock=clock))
    rows = list(ItemStock.objects.for_tenant(tenant).select_related("item").filter(shop_ls_id=1, item__archived=False)
                .order_by("id")[:events])
    rows = [r for r in rows if item_sku(r.item)]
    token = BucklesSettings.objects.for_tenant(tenant).get().webhook_token
    bodies = [bk_sb.emit("stock.changed", {"sku": item_sku(r.item), "quantity": r.qoh + 7}, mode="none")
              for r in rows]
    real0 = time.perf_counter()
    for event in bodies:
        body = json.dumps(event).encode()
        headers = signed_headers(secret=bk_sb.webhook_secret, event_type=event["type"], delivery_id=event["id"],
                                 timestamp=int(clock.time()), body=body)
        answer = webhook_receive(token=token, headers=headers, body=body, now=clock.time())
        assert answer.status == 200, answer
    received = time.perf_counter() - real0
    ls_sb.reset_bucket()
    ls_before, virtual0, real0 = len(ls_sb.request_log), clock.time(), time.perf_counter()
    run = must(run_job(tenant=tenant, job="buckles.events_apply", clock=clock, params={"from": "webhook"}))
    while run.run_again:
        run = must(run_job(tenant=tenant, job="buckles.events_apply", clock=clock, params={"from": "webhook"}))
    real, virtual = time.perf_counter() - real0, clock.time() - virtual0
    puts = [r for r in ls_sb.request_log[ls_before:] if r["method"] == "PUT"]
    drips = sum(r.get("cost") or 0 for r in puts)
    floor = max(0.0, (drips - DEFAULT_SIZE) / DEFAULT_DRIP)
    applied = sum(1 for r in rows if ItemStock.objects.for_tenant(tenant).get(pk=r.pk).qoh == r.qoh + 7)
    outcome = Counter(BucklesEvent.objects.for_tenant(tenant).values_list("state", "last_error"))
    print(f"\n=== stock: {len(rows)} stock.changed events ===")
    print("outcomes: " + "; ".join(f"{state} {n}{' (' + note[:80] + ')' if note else ''}"
                                   for (state, note), n in outcome.most_common(5)))
    print(f"received (verify + store + queue) in {received:.2f}s real = {received / len(rows) * 1000:.1f} ms/event")
    print(f"applied {applied}/{len(rows)} in {real:.1f}s real, {virtual:.0f}s virtual (bucket-limited minimum "
          f"{floor:.0f}s, ratio {virtual / floor if floor else float('nan'):.2f}); Lightspeed PUTs {len(puts)} "
          f"(minimum {len(rows)}, ratio {len(puts) / len(rows):.2f}), {drips:.0f} drips")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=int, default=60)
    parser.add_argument("--sale-every", type=int, default=4)
    parser.add_argument("--mirror-every", type=int, default=10)
    parser.add_argument("--events", type=int, default=1000)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    tenant, clock, ls_sb, bk_sb = setup(items=max(200, args.events + 50))
    try:
        bench_orders(tenant, clock, ls_sb, bk_sb, args.minutes, args.sale_every, args.mirror_every)
        bench_stock(tenant, clock, ls_sb, bk_sb, args.events)
    finally:
        Tenant.objects.filter(pk=tenant.pk).delete()
        transport_overrides.pop("lightspeed", None)
        transport_overrides.pop("buckles", None)


if __name__ == "__main__":
    main()
