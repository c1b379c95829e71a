"""Benchmark: Sellercloud order download and inventory upload through both sandboxes.

    .venv/bin/python bench/sellercloud.py [--orders 200] [--items 10000] [--changed 0.01] [--scale 50]

Both sandboxes and the clients share one ScaledClock (Lightspeed's bucket drains `scale` times faster).
Database: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/bench_sellercloud, created and
migrated if missing); Redis db 5.

Printed, measured in this one run:
  orders    Sellercloud requests per downloaded order (token calls apart) against the minimum
            (create 1 + one payment 1 + shipped 1 = 3; the lookup by OrderSourceOrderID is one GET per 50),
            Lightspeed requests per order (minimum 0: sales come from the mirror), and a re-run (minimum 0 writes);
  upload    Lightspeed writes for an inventory upload of --items linked items with --changed of them changed
            in Sellercloud, against the minimum (the number changed), and the wall time of that upload against
            the bucket-limited minimum ((drips - bucket size) / drip rate).
"""
import argparse
import random
import time

from _setup import bench_setup, lightspeed_connect

BENCH_DB = bench_setup("bench_sellercloud", redis_db=5)
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402

from channels.sellercloud.client import tokens_forget  # noqa: E402
from channels.sellercloud.models import SellercloudProduct, SellercloudSettings, SellercloudShop  # noqa: E402
from channels.sellercloud.sandbox import SellercloudSandbox  # noqa: E402
from connector.clock import ScaledClock  # noqa: E402
from connector.http import transport_overrides  # noqa: E402
from connector.runs import run_job  # noqa: E402
from lightspeed.models import Employee, Item, ItemStock, PaymentType, Register, Sale, SaleLine, SalePayment  # noqa: E402
from lightspeed.sandbox import LightspeedSandbox  # noqa: E402
from tenants.models import Tenant  # noqa: E402

ORDER_MIN_CALLS = 3
BUCKET_SIZE, DRIP_RATE = 110, 2.0  # the Lightspeed sandbox's 2026 model for 2 shops, 3 registers
MAIN = 1
clock_scale_setup = 50.0


def buckets_reset(sandbox):
    from lightspeed.ratelimit import _redis

    if settings.REDIS_URL:
        for key in _redis().scan_iter("lightspeed:bucket:*"):
            _redis().delete(key)
    sandbox.reset_bucket()


def run_until_done(tenant, job, clock):
    """The job, and its follow-ups while it finds more work (ctx.run_again), as the worker would."""
    virtual0, real0 = clock.time(), time.perf_counter()
    while True:
        run = run_job(tenant=tenant, job=job, clock=clock)
        if run.status != "succeeded":
            raise SystemExit(f"{job} {run.status}: {run.error}\n{run.traceback}")
        if not (run.counts.get("orders_created") or run.counts.get("orders_found")) or job.endswith("upload"):
            return run, clock.time() - virtual0, time.perf_counter() - real0


class Clock(ScaledClock):
    """A ScaledClock whose speed can change mid-run without a jump (the setup runs fast, the measured upload
    at --upload-scale, so the Lightspeed bucket, not Python, is what bounds its wall time)."""

    def rescale(self, scale):
        self._virtual0, self._real0, self.scale = self.time(), time.time(), float(scale)


def setup(items, scale):
    clock = Clock(scale)
    ls_sb = LightspeedSandbox(items=items, shops=2, registers=3, seed=13, clock=clock)
    sc_sb = SellercloudSandbox(clock=clock, seed=13)
    transport_overrides["lightspeed"], transport_overrides["sellercloud"] = ls_sb.transport(), sc_sb.transport()
    settings.LIGHTSPEED_CLIENT_ID, settings.LIGHTSPEED_CLIENT_SECRET = ls_sb.client_id, ls_sb.client_secret
    tokens_forget()
    Tenant.objects.filter(slug="bench-sellercloud").delete()
    tenant = Tenant.objects.create(slug="bench-sellercloud", name="Bench Sellercloud")
    lightspeed_connect(tenant, ls_sb, clock)
    for job in ("lightspeed.reference_sync", "lightspeed.catalog_sync"):
        run_job(tenant=tenant, job=job, clock=clock)
    SellercloudSettings.objects.create(tenant=tenant, enabled=True, username=sc_sb.username, password=sc_sb.password,
                                       company_id=str(sc_sb.company_id), returns_warehouse_id=3,
                                       orders_since=timezone.now() - timezone.timedelta(days=1))
    register = Register.objects.for_tenant(tenant).filter(shop_ls_id=1).first()
    SellercloudShop.objects.create(tenant=tenant, shop_ls_id=1, warehouse_ids=[MAIN], register_ls_id=register.ls_id,
                                   employee_ls_id=Employee.objects.for_tenant(tenant).first().ls_id)
    return tenant, clock, ls_sb, sc_sb


def products_mirror(tenant, sc_sb):
    """One Sellercloud product per Lightspeed item (same UPC/EAN, else SKU = systemSku), stock = the mirror's,
    last modified over the past year (as a real catalog: the incremental read then returns what changed)."""
    qoh = dict(ItemStock.objects.for_tenant(tenant).filter(shop_ls_id=1).values_list("item__ls_id", "qoh"))
    rng, now = random.Random(2), sc_sb.clock.time()
    for item in Item.objects.for_tenant(tenant).filter(archived=False).order_by("ls_id"):
        sku = item.system_sku if not (item.upc or item.ean) else f"SC-{item.ls_id}"
        product = sc_sb.product_add(sku, name=item.description, upc=item.upc, ean=item.ean, price="10", cost="4",
                                    lightspeed=True)
        product["LastModifiedDate"] = now - rng.uniform(3600, 365 * 86400)
        sc_sb.stock[(sku, MAIN)] = max(0, qoh.get(item.ls_id, 0))


def sales_mirror(tenant, count):
    cash = PaymentType.objects.for_tenant(tenant).filter(type="cash").first()
    skus = dict(SellercloudProduct.objects.for_tenant(tenant).exclude(item_ls_id=None).values_list("item_ls_id", "sku"))
    items = list(skus)[:50]
    for n in range(count):
        sale = Sale.objects.create(tenant=tenant, ls_id=10_000_000 + n, shop_ls_id=1, completed=True, total=10,
                                   complete_time=timezone.now())
        SaleLine.objects.create(tenant=tenant, sale=sale, ls_id=20_000_000 + n, item_ls_id=items[n % len(items)],
                                quantity=1, unit_price=10, subtotal=10)
        SalePayment.objects.create(tenant=tenant, sale=sale, ls_id=30_000_000 + n, amount=10,
                                   payment_type_ls_id=cash.ls_id, payment_type_name=cash.name)


def api_calls(log, start, prefix):
    return [r for r in log[start:] if r["path"].startswith(prefix)]


def bench_upload(tenant, clock, ls_sb, sc_sb, changed_share, upload_scale):
    ls0 = len(ls_sb.request_log)
    run, virtual, real = run_until_done(tenant, "sellercloud.inventory_upload", clock)
    first = [r for r in api_calls(ls_sb.request_log, ls0, "/API/") if r["method"] == "PUT"]
    linked = SellercloudProduct.objects.for_tenant(tenant).exclude(item_ls_id=None).count()
    print(f"upload   first pass: {linked} products linked, {len(first)} Lightspeed writes "
          f"(items whose qoh differed), {virtual:.0f}s virtual, {real:.1f}s real")
    clock_sleep(clock, 120)
    skus = sorted(p for p in sc_sb.products if p != "UNKNOWN")
    changed = random.Random(1).sample(skus, max(1, int(len(skus) * changed_share)))
    for sku in changed:
        sc_sb.stock_set(sku, MAIN, sc_sb.stock.get((sku, MAIN), 0) + 3, reason="bench")
    buckets_reset(ls_sb)
    clock.rescale(upload_scale)
    ls0, sc0 = len(ls_sb.request_log), len(sc_sb.request_log)
    run, virtual, real = run_until_done(tenant, "sellercloud.inventory_upload", clock)
    clock.rescale(clock_scale_setup)
    calls = api_calls(ls_sb.request_log, ls0, "/API/")
    writes = [r for r in calls if r["method"] in ("PUT", "POST")]
    drips = sum(r.get("cost") or 0 for r in calls)
    bucket_min = max(0.0, (drips - BUCKET_SIZE) / DRIP_RATE)
    ratio = f"{virtual / bucket_min:.2f}" if bucket_min else "n/a (fits in the bucket)"
    sc_calls = len(api_calls(sc_sb.request_log, sc0, "/rest/api/"))
    print(f"upload   {len(skus)} items, {len(changed)} changed: Lightspeed writes {len(writes)} "
          f"(minimum {len(changed)}, ratio {len(writes) / len(changed):.2f}); Sellercloud requests {sc_calls}")
    print(f"         wall {virtual:.0f}s virtual at time scale {upload_scale:g} (bucket-limited minimum "
          f"{bucket_min:.0f}s, ratio {ratio}), {real:.1f}s real; {drips:.0f} drips")


def clock_sleep(clock, seconds):
    time.sleep(seconds / clock.scale)


def bench_orders(tenant, clock, ls_sb, sc_sb, orders):
    sales_mirror(tenant, orders)
    ls0, sc0 = len(ls_sb.request_log), len(sc_sb.request_log)
    run, virtual, real = run_until_done(tenant, "sellercloud.orders_download", clock)
    sc_calls = [r for r in api_calls(sc_sb.request_log, sc0, "/rest/api/") if not r["path"].endswith("/token")]
    ls_calls = api_calls(ls_sb.request_log, ls0, "/API/")
    created = len(sc_sb.orders)
    print(f"\n=== {orders} completed sales (time scale {clock.scale}) ===")
    print(f"orders   created {created}/{orders}  Sellercloud requests {len(sc_calls)} = {len(sc_calls) / orders:.2f}"
          f"/order (minimum {ORDER_MIN_CALLS}, ratio {len(sc_calls) / orders / ORDER_MIN_CALLS:.2f})  Lightspeed "
          f"requests {len(ls_calls)} = {len(ls_calls) / orders:.2f}/order (minimum 0)  {real:.1f}s real")
    sc0 = len(sc_sb.request_log)
    run_until_done(tenant, "sellercloud.orders_download", clock)
    again = api_calls(sc_sb.request_log, sc0, "/rest/api/")
    print(f"re-run   Sellercloud requests {len(again)} (nothing new: minimum 0)")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--orders", type=int, default=200)
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--changed", type=float, default=0.01)
    parser.add_argument("--scale", type=float, default=50, help="time scale of the setup and the orders")
    parser.add_argument("--upload-scale", type=float, default=1, help="time scale of the measured 1%% upload")
    args = parser.parse_args()
    global clock_scale_setup
    clock_scale_setup = args.scale
    call_command("migrate", verbosity=0)
    tenant, clock, ls_sb, sc_sb = setup(args.items, args.scale)
    try:
        products_mirror(tenant, sc_sb)
        print(f"\n=== inventory upload, {args.items} Lightspeed items (time scale {args.scale}) ===")
        bench_upload(tenant, clock, ls_sb, sc_sb, args.changed, args.upload_scale)
        bench_orders(tenant, clock, ls_sb, sc_sb, args.orders)
    finally:
        Tenant.objects.filter(pk=tenant.pk).delete()
        transport_overrides.pop("lightspeed", None)
        transport_overrides.pop("sellercloud", None)


if __name__ == "__main__":
    main()
