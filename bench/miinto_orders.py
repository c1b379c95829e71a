"""Benchmark: Miinto orders through both sandboxes — import N pending orders, complete them, sync statuses back.

    /work/venv/bin/python bench/miinto_orders.py [--orders 50 200] [--scale 50]

Both sandboxes and both clients share one ScaledClock (Lightspeed's bucket drains `scale` times faster).
Database: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/bench_miinto, created and migrated
if missing); Redis db 5.

Printed per size, measured in the same run:
  import: Lightspeed requests and drips per order against the minimum for a new customer per order
    (customer lookup 1 + customer create + sale lookup + sale create = 4 requests), sales created;
  re-run: requests of the next minute's import with nothing new (should be 0 Lightspeed requests);
  status: Miinto calls per order for accept + tracking, against the minimum (accept 1 + providers 1 + ship 1);
  wall time virtual (against the bucket-limited minimum: (drips - bucket size) / drip rate) and real.
"""
import argparse
import time

from _setup import bench_setup, lightspeed_connect

BENCH_DB = bench_setup("bench_miinto", redis_db=5)
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402

from channels.miinto.client import channels_forget  # noqa: E402
from channels.miinto.models import MiintoSettings, MiintoShop  # noqa: E402
from channels.miinto.sandbox import MiintoSandbox  # noqa: E402
from connector.clock import ScaledClock  # noqa: E402
from connector.http import transport_overrides  # noqa: E402
from connector.runs import run_job  # noqa: E402
from lightspeed.models import Item  # noqa: E402
from lightspeed.sandbox import LightspeedSandbox  # noqa: E402
from tenants.models import Tenant  # noqa: E402

IMPORT_MIN_REQUESTS = 4
BUCKET_SIZE, DRIP_RATE = 110, 2.0  # the sandbox's 2026 model for 2 shops, 3 registers
STATUS_MIN_CALLS = 3


def buckets_reset(sandbox):
    from lightspeed.ratelimit import _redis

    if settings.REDIS_URL:
        for key in _redis().scan_iter("lightspeed:bucket:*"):
            _redis().delete(key)
    sandbox.reset_bucket()


def timed(tenant, job, clock):
    virtual0, real0 = clock.time(), time.perf_counter()
    run = run_job(tenant=tenant, job=job, clock=clock)
    if run.status != "succeeded":
        raise SystemExit(f"{job} {run.status}: {run.error}\n{run.traceback}")
    return run, clock.time() - virtual0, time.perf_counter() - real0


def api(sandbox_log, start):
    return [r for r in sandbox_log[start:] if r["path"].startswith("/API/")]


def setup(orders, scale):
    clock = ScaledClock(scale)
    ls_sb = LightspeedSandbox(items=500, shops=2, registers=3, seed=11, clock=clock)
    mi_sb = MiintoSandbox(clock=clock, seed=11)
    transport_overrides["lightspeed"], transport_overrides["miinto"] = ls_sb.transport(), mi_sb.transport()
    settings.LIGHTSPEED_CLIENT_ID, settings.LIGHTSPEED_CLIENT_SECRET = ls_sb.client_id, ls_sb.client_secret
    channels_forget()
    Tenant.objects.filter(slug=f"bench-miinto-{orders}").delete()
    tenant = Tenant.objects.create(slug=f"bench-miinto-{orders}", name="Bench Miinto")
    lightspeed_connect(tenant, ls_sb, clock)
    for job in ("lightspeed.reference_sync", "lightspeed.catalog_sync"):
        timed(tenant, job, clock)
    MiintoSettings.objects.for_tenant(tenant).update_or_create(
        tenant=tenant, defaults={"enabled": True, "identifier": mi_sb.identifier, "secret": mi_sb.secret})
    MiintoShop.objects.create(tenant=tenant, shop_id=mi_sb.shop_ids[0], country="DK", lightspeed_shop_ls_id=1)
    eans = list(Item.objects.for_tenant(tenant).filter(archived=False).exclude(ean="").values_list("ean", flat=True))
    for n in range(orders):
        mi_sb.add_pending_order(mi_sb.shop_ids[0], [{"gtin": eans[n % len(eans)], "quantity": 1, "price": 19900}])
    buckets_reset(ls_sb)
    return tenant, clock, ls_sb, mi_sb


def bench(orders, scale):
    tenant, clock, ls_sb, mi_sb = setup(orders, scale)
    try:
        start = len(ls_sb.request_log)
        run, virtual, real = timed(tenant, "miinto.orders_import", clock)
        calls = api(ls_sb.request_log, start)
        sales = [s for s in ls_sb.state.sales.values() if s.reference_number_source == "Miinto"]
        again_start = len(ls_sb.request_log)
        timed(tenant, "miinto.orders_import", clock)
        again = api(ls_sb.request_log, again_start)
        for sale in sales:
            ls_sb.state.sales[sale.sale_id].ship_to.ship_note = f"TT{sale.sale_id}"
            ls_sb.complete_sale(sale.sale_id)
        timed(tenant, "lightspeed.sales_sync", clock)  # the status sync reads the completions from the mirror
        miinto_start = len(mi_sb.request_log)
        _, s_virtual, s_real = timed(tenant, "miinto.status_sync", clock)
        miinto_calls = [r for r in mi_sb.request_log[miinto_start:] if r["path"].startswith("/shops/")]
        accepted = sum(1 for t in mi_sb.transfers.values() if all(p["status"] == "accepted" for p in t["positions"]))
        print(f"\n=== {orders} pending orders (time scale {scale}) ===")
        print(f"import   sales created {len(sales)}/{orders}  Lightspeed requests {len(calls)} "
              f"= {len(calls) / orders:.2f}/order (minimum {IMPORT_MIN_REQUESTS}, ratio "
              f"{len(calls) / orders / IMPORT_MIN_REQUESTS:.2f})  429s {sum(r['status'] == 429 for r in calls)}  "
              f"drips {sum(r['cost'] or 0 for r in calls):.0f}")
        drips = sum(r["cost"] or 0 for r in calls)
        bucket_min = max(0.0, (drips - BUCKET_SIZE) / DRIP_RATE)
        ratio = f"{virtual / bucket_min:.2f}" if bucket_min else "n/a (fits in the bucket)"
        print(f"         wall {virtual:.0f}s virtual (bucket-limited minimum {bucket_min:.0f}s, ratio {ratio}), "
              f"{real:.1f}s real = {orders / real:.1f} orders/s real")
        print(f"re-run   Lightspeed requests {len(again)} (nothing new: minimum 0)")
        print(f"status   accepted {accepted}/{orders}  Miinto calls {len(miinto_calls)} = "
              f"{len(miinto_calls) / orders:.2f}/order (minimum {STATUS_MIN_CALLS}, ratio "
              f"{len(miinto_calls) / orders / STATUS_MIN_CALLS:.2f})  wall {s_virtual:.0f}s virtual, "
              f"{s_real:.1f}s real")
    finally:
        Tenant.objects.filter(pk=tenant.pk).delete()
        transport_overrides.pop("lightspeed", None)
        transport_overrides.pop("miinto", None)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--orders", type=int, nargs="+", default=[50, 200])
    parser.add_argument("--scale", type=float, default=50)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    for orders in args.orders:
        bench(orders, args.scale)


if __name__ == "__main__":
    main()
