"""Benchmark: lightspeed.catalog_sync against the sandbox, time-scaled, for 1k, 10k and 100k items.

    /work/venv/bin/python bench/catalog_sync.py [--sizes 1000 10000 100000] [--scale 2] [--scale-100k 8]

The sandbox (in-process httpx transport, 2 shops, 3 registers: bucket 110 drips, 2 drips/s, burst 24/s)
and the client share one ScaledClock, so the bucket drains `scale` times faster than real time and every
wait of the limiter is shortened the same way. Database: BENCH_DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/bench_lsclient, created and migrated if missing); Redis db 3.

Per size, one full sync (params full=1, starting with empty buckets on both sides), then an incremental
run with nothing changed, then one after 1 % of the items had their shop-1 stock changed. Printed:
  requests, 429s, drips spent (sum of X-LS-Api-Request-Cost) and the documented minimum for the same data:
  9 reference reads × 1 drip (7 lists, the attribute sets, the session) + ceil(items/100) item pages ×
  (1 + ItemShops 0.4 + ItemAttributes 0.2 + Note 0.2 on a list endpoint) = 1.8 — the relations the mirror
  needs; Prices come without load_relations.
  wall (virtual seconds) against the bucket-limited minimum (min drips − bucket size) / drip rate.
  rows written (items + prices + stock) per real second, and peak RSS of the process (sandbox included).
At the default scales the sync is bucket-bound, so rows/s is too; `--sizes 10000 --scale 500` shows
the processing throughput (HTTP + parsing + upserts) with the bucket out of the way.
"""
import argparse
import math
import resource
import time

from _setup import bench_setup, lightspeed_connect

BENCH_DB = bench_setup("bench_lsclient", redis_db=3)
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402

from connector.clock import ScaledClock  # noqa: E402
from connector.http import transport_overrides  # noqa: E402
from connector.runs import run_job  # noqa: E402
from lightspeed.sandbox import LightspeedSandbox  # noqa: E402
from tenants.models import Tenant  # noqa: E402

BENCH_ACCOUNT = 424242  # its own bucket keys: tests running meanwhile reset only the default account's
REFERENCE_LISTS = 9  # 7 lists (lightspeed.sync.REFERENCE_RESOURCES), ItemAttributeSet, Session (the approver)
ITEM_PAGE_COST = 1 + 0.4 + 0.2 + 0.2


def minimum_drips(items):
    return REFERENCE_LISTS + math.ceil(items / 100) * ITEM_PAGE_COST


def buckets_reset(sandbox):
    from lightspeed.ratelimit import _redis

    if settings.REDIS_URL:
        for key in _redis().scan_iter(f"lightspeed:bucket:{BENCH_ACCOUNT}:*"):
            _redis().delete(key)
    sandbox.reset_bucket()
    sandbox.request_log.clear()


def measured_run(tenant, sandbox, clock, **kwargs):
    sandbox.request_log.clear()
    virtual0, real0 = clock.time(), time.perf_counter()
    run = run_job(tenant=tenant, job="lightspeed.catalog_sync", clock=clock, **kwargs)
    virtual, real = clock.time() - virtual0, time.perf_counter() - real0
    if run.status != "succeeded":
        raise SystemExit(f"catalog_sync {run.status}: {run.error}\n{run.traceback}")
    api = [r for r in sandbox.request_log if r["path"].startswith("/API/")]
    rows = sum(run.counts.get(k, 0) for k in ("items.written", "prices.written", "stock.written"))
    return {"requests": len(api), "429s": sum(1 for r in api if r["status"] == 429),
            "drips": sum(r["cost"] or 0 for r in api), "virtual": virtual, "real": real, "rows": rows,
            "counts": run.counts}


def bench_size(items, scale):
    clock = ScaledClock(scale)
    t0 = time.perf_counter()
    sandbox = LightspeedSandbox(items=items, shops=2, registers=3, seed=7, clock=clock, account_id=BENCH_ACCOUNT)
    seeded = time.perf_counter() - t0
    transport_overrides["lightspeed"] = sandbox.transport()
    settings.LIGHTSPEED_CLIENT_ID, settings.LIGHTSPEED_CLIENT_SECRET = sandbox.client_id, sandbox.client_secret
    Tenant.objects.filter(slug=f"bench-ls-{items}").delete()
    tenant = Tenant.objects.create(slug=f"bench-ls-{items}", name=f"Bench LS {items}")
    try:
        lightspeed_connect(tenant, sandbox, clock)
        buckets_reset(sandbox)
        full = measured_run(tenant, sandbox, clock, params={"full": "1"})
        clock.sleep(5)
        unchanged = measured_run(tenant, sandbox, clock)
        changed_ids = list(sandbox.state.items)[:: 100][: max(1, items // 100)]
        for item_id in changed_ids:
            row = next(r for r in sandbox.state.item_shops_by_item[item_id] if r.shop_id == 1)
            sandbox.set_stock(item_id, 1, row.qoh + 3)
        one_percent = measured_run(tenant, sandbox, clock)
        report(items, scale, seeded, full, unchanged, one_percent, len(changed_ids))
    finally:
        Tenant.objects.filter(pk=tenant.pk).delete()
        transport_overrides.pop("lightspeed", None)


def report(items, scale, seeded, full, unchanged, one_percent, changed):
    size, drip = 110, 2.0
    minimum = minimum_drips(items)
    min_time = max(0.0, (minimum - size) / drip)
    print(f"\n=== {items:,} items (time scale {scale}, sandbox seeded in {seeded:.1f}s real) ===")
    print(f"full sync      requests {full['requests']:>5}  429s {full['429s']}  drips {full['drips']:8.1f}  "
          f"minimum {minimum:8.1f}  ratio {full['drips'] / minimum:.3f}")
    ratio = f"{full['virtual'] / min_time:.3f}" if min_time else "n/a (fits in the empty bucket)"
    print(f"               wall {full['virtual']:7.1f}s virtual ({full['real']:.1f}s real)  "
          f"bucket-limited minimum {min_time:7.1f}s  ratio {ratio}")
    print(f"               rows written {full['rows']:,}  = {full['rows'] / full['real']:,.0f} rows/s real  "
          f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB (process, sandbox included)")
    for name, run in (("no change", unchanged), (f"1% stock ({changed})", one_percent)):
        print(f"incremental {name:<16} requests {run['requests']}  429s {run['429s']}  drips {run['drips']:.1f}  "
              f"stock written {run['counts'].get('stock.written', 0)}  wall {run['virtual']:.1f}s virtual "
              f"({run['real']:.2f}s real)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--scale", type=float, default=2.0, help="time scale for sizes below 100k")
    parser.add_argument("--scale-100k", type=float, default=8.0, help="time scale for 100k and more")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    for items in args.sizes:
        bench_size(items, args.scale_100k if items >= 100_000 else args.scale)


if __name__ == "__main__":
    main()
