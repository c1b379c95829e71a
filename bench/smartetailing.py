"""Benchmark: SmartEtailing orders into Lightspeed, and the inventory files, against their minimums.

    .venv/bin/python bench/smartetailing.py [--orders 40] [--sizes 10000 100000] [--scale 50]

Database: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/bench_smartetailing, created and
migrated if missing); Redis db 4. Printed, measured in this one run:

orders   --orders paid web orders (2 lines each, one customer in three ordering again, one new payment method)
         exported by `smartetailing.orders_import` through both sandboxes on one ScaledClock. Lightspeed
         requests and drips per exported order, against the minimum: per order one customer search by email
         and one POST Sale carrying its lines and payments; once per new customer a POST Customer, once per
         new payment method a POST PaymentType (items and payment types come from the mirror). Then a run
         with nothing new (minimum: 0 Lightspeed requests, 1 order-service poll).
upload   per size, seeded once (tenants bench-se-<n>: one shop, n items with stock, 1 in 13 out of stock,
         three price levels), best of 3:
           copy     psycopg 3 COPY (the same join: stock, item fields, three prices) TO STDOUT (FORMAT csv)
           build    upload.location_file(): the rows from the mirror through the file adapter (our code)
           upload   build + STOR to the SmartEtailing sandbox's real FTP server on loopback
           again    `smartetailing.inventory_upload` run again with nothing changed: FTP connections,
                    Lightspeed requests and database queries (minimum 0 FTP, 0 Lightspeed)
"""
import argparse
import sys
import time

import httpx

from _setup import bench_setup, lightspeed_connect

BENCH_DB = bench_setup("bench_smartetailing", redis_db=4)
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from channels.smartetailing import client as se_client  # noqa: E402
from channels.smartetailing.models import SmartEtailingLocation, SmartEtailingSettings  # noqa: E402
from channels.smartetailing.sandbox import SmartEtailingSandbox  # noqa: E402
from channels.smartetailing.upload import location_file  # noqa: E402
from connector.clock import ScaledClock  # noqa: E402
from connector.http import transport_overrides  # noqa: E402
from connector.runs import run_job  # noqa: E402
from lightspeed.models import Item, ItemPrice, ItemStock, PosChoice, PriceLevel, Shop  # noqa: E402
from lightspeed.sandbox import LightspeedSandbox  # noqa: E402
from tenants.models import Tenant  # noqa: E402

REPEATS = 3
LEVELS = ((1, "Default"), (2, "MSRP"), (3, "Sale"))


def seed(size):
    tenant, _ = Tenant.objects.get_or_create(slug=f"bench-se-{size}", defaults={"name": f"Bench SE {size}"})
    if Item.unscoped.filter(tenant=tenant).count() != size:
        Item.unscoped.filter(tenant=tenant).delete()
        Shop.unscoped.get_or_create(tenant=tenant, ls_id=1, defaults={"name": "Main"})
        for ls_id, name in LEVELS:
            PriceLevel.unscoped.get_or_create(tenant=tenant, ls_id=ls_id, defaults={"name": name})
        with connection.cursor() as cur:
            cur.execute(f"""
                INSERT INTO {Item._meta.db_table} (tenant_id, ls_id, archived, synced_at, system_sku, custom_sku,
                    manufacturer_sku, ean, upc, description, note, color, size, item_matrix_ls_id, category_ls_id,
                    manufacturer_ls_id, category_name, manufacturer_name)
                SELECT %(t)s, n, false, now(), (210000000000 + n)::text, '', 'MPN-' || n,
                    CASE WHEN n %% 3 = 0 THEN (5700000000000 + n)::text ELSE '' END,
                    CASE WHEN n %% 3 = 0 THEN '' ELSE (700000000000 + n)::text END,
                    'Tire "Gravel", 700x' || (28 + n %% 20), '', '', '', 0, 1 + n %% 40, 1 + n %% 25,
                    'Parts/Tires ' || (n %% 40), 'Brand ' || (n %% 25)
                FROM generate_series(1, %(n)s) AS n""", {"t": tenant.pk, "n": size})
            for level, _ in LEVELS:
                cur.execute(f"""INSERT INTO {ItemPrice._meta.db_table} (tenant_id, item_id, price_level_ls_id, amount)
                    SELECT tenant_id, id, %s, 19 + (ls_id %% 80) + 0.99 FROM {Item._meta.db_table}
                    WHERE tenant_id = %s""", [level, tenant.pk])
            cur.execute(f"""INSERT INTO {ItemStock._meta.db_table}
                (tenant_id, item_id, item_shop_ls_id, shop_ls_id, qoh)
                SELECT tenant_id, id, ls_id, 1, CASE WHEN ls_id %% 13 = 0 THEN 0 ELSE ls_id %% 9 + 1 END
                FROM {Item._meta.db_table} WHERE tenant_id = %s""", [tenant.pk])
            cur.execute(f"ANALYZE {Item._meta.db_table}; ANALYZE {ItemPrice._meta.db_table}; "
                        f"ANALYZE {ItemStock._meta.db_table}")
    config, _ = SmartEtailingSettings.unscoped.update_or_create(tenant=tenant, defaults={
        "pos_pricing": True, "regular_price_level_ls_id": 1, "sale_price_level_ls_id": 3})
    location, _ = SmartEtailingLocation.unscoped.get_or_create(tenant=tenant, lightspeed_shop_ls_id=1,
                                                               defaults={"neighborhood_descriptor": "Newport, KY"})
    return tenant, config, location


COPY_SQL = f"""COPY (SELECT 'Newport, KY', i.system_sku, i.upc, i.ean, i.manufacturer_sku, i.description,
    i.manufacturer_name, i.category_name, s.qoh, r.amount, sp.amount, NULL, m.amount
    FROM {ItemStock._meta.db_table} s JOIN {Item._meta.db_table} i ON i.id = s.item_id
    LEFT JOIN {ItemPrice._meta.db_table} r ON r.item_id = i.id AND r.price_level_ls_id = 1
    LEFT JOIN {ItemPrice._meta.db_table} sp ON sp.item_id = i.id AND sp.price_level_ls_id = 3
    LEFT JOIN {ItemPrice._meta.db_table} m ON m.item_id = i.id AND m.price_level_ls_id = 2
    WHERE s.tenant_id = %s AND s.shop_ls_id = 1 AND NOT i.archived AND s.qoh > 0
    ORDER BY i.system_sku, i.id) TO STDOUT (FORMAT csv)"""


def timed(func):
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - start)
    return min(times), result


def bare_copy(tenant):
    size = 0
    with connection.connection.cursor() as cur:
        with cur.copy(COPY_SQL, [tenant.pk]) as copy:
            for chunk in copy:
                size += len(chunk)
    return size


class CountingFtp(se_client.ftplib.FTP):
    connections = 0

    def connect(self, *args, **kwargs):
        CountingFtp.connections += 1
        return super().connect(*args, **kwargs)


def orders_setup(scale, port):
    clock = ScaledClock(scale)
    ls_sb = LightspeedSandbox(items=1000, shops=2, registers=3, seed=13, clock=clock)
    se_sb = SmartEtailingSandbox(clock=clock, seed=1)
    transport_overrides["lightspeed"], transport_overrides["smartetailing"] = ls_sb.transport(), se_sb.transport()
    settings.LIGHTSPEED_CLIENT_ID, settings.LIGHTSPEED_CLIENT_SECRET = ls_sb.client_id, ls_sb.client_secret
    Tenant.objects.filter(slug="bench-se-orders").delete()
    tenant = Tenant.objects.create(slug="bench-se-orders", name="Bench SmartEtailing orders")
    lightspeed_connect(tenant, ls_sb, clock)
    for job in ("lightspeed.reference_sync", "lightspeed.catalog_sync"):
        run = run_job(tenant=tenant, job=job, clock=clock)
        assert run.status == "succeeded", run.error
    SmartEtailingSettings.objects.create(
        tenant=tenant, enabled=True, export_orders=True, order_service_url="http://shop.example",
        merchant_id=se_sb.merchant, url_key=se_sb.url_key, ftp_host=f"127.0.0.1:{port}", ftp_account=se_sb.ftp_user,
        ftp_password=se_sb.ftp_password)
    SmartEtailingLocation.objects.create(tenant=tenant, lightspeed_shop_ls_id=1,
                                         neighborhood_descriptor=se_sb.locations[0])
    PosChoice.objects.create(tenant=tenant, channel="", shop_ls_id=1, register_ls_id=1, employee_ls_id=1)
    return tenant, clock, ls_sb, se_sb


def orders_add(tenant, se_sb, count):
    """`count` paid orders of two lines (by UPC, then by EAN); every third a returning customer; the last
    paid with a method Lightspeed has no payment type for yet. Returns (new customers, new methods)."""
    live = Item.objects.for_tenant(tenant).filter(archived=False).order_by("ls_id")
    upcs = list(live.exclude(upc="").values_list("upc", flat=True)[:50])
    eans = list(live.exclude(ean="").values_list("ean", flat=True)[:50])
    customers = []
    for n in range(count):
        returning = n % 3 == 2 and customers
        customer = customers[n // 3 % len(customers)] if returning else {
            "first": "Web", "last": f"Buyer{n}", "full": f"Web Buyer{n}", "email": f"buyer{n}@bench.example"}
        se_sb.add_order(items=[{"gtin1": upcs[n % len(upcs)], "quantity": 1 + n % 2}, {"gtin2": eans[n % len(eans)]}],
                        shipping="4.95", customer=customer, method="Affirm" if n == count - 1 else "Stripe")
        if not returning:
            customers.append(customer)
    return len(customers)


def one_time_creates(tenant):
    """What the orders need that Lightspeed lacks before the first: each payment method, the shipping item."""
    from lightspeed.order_sales import SHIPPING_SKU
    from lightspeed.models import PaymentType

    known = {name.lower() for name in PaymentType.objects.for_tenant(tenant).values_list("name", flat=True)}
    shipping = Item.objects.for_tenant(tenant).filter(custom_sku=SHIPPING_SKU).exists()
    return len({"stripe", "affirm"} - known) + (0 if shipping else 1)


def ls_requests(ls_sb, start):
    return [r for r in ls_sb.request_log[start:] if r["path"].startswith("/API/")]


def run_until_idle(tenant, job, clock):
    """The job, and its follow-ups while it asks to run again (ctx.run_again), as the worker would."""
    started = time.perf_counter()
    for _ in range(100):
        run = run_job(tenant=tenant, job=job, clock=clock)
        if run.status != "succeeded":
            raise SystemExit(f"{job} {run.status}: {run.error}\n{run.traceback}")
        if not run.run_again:
            return run, time.perf_counter() - started
    raise SystemExit(f"{job} kept asking to run again")


def bench_orders(count, scale, port):
    from collections import Counter

    tenant, clock, ls_sb, se_sb = orders_setup(scale, port)
    try:
        new_customers, one_time = orders_add(tenant, se_sb, count), one_time_creates(tenant)
        ls0, se0 = len(ls_sb.request_log), len(se_sb.request_log)
        _, real = run_until_idle(tenant, "smartetailing.orders_import", clock)
        calls = ls_requests(ls_sb, ls0)
        exported = sum(1 for o in se_sb.orders.values() if o.get("confirmed"))
        sales = sum(1 for s in ls_sb.state.sales.values() if s.reference_number.startswith("SE-") and s.completed)
        minimum = 2 * count + new_customers + one_time
        drips = sum(r.get("cost") or 0 for r in calls)
        min_drips = minimum_drips(calls, count, new_customers)
        print(f"\n=== {count} paid SmartEtailing orders (time scale {scale:g}) ===")
        print(f"orders   exported {exported}/{count}, completed sales {sales}; Lightspeed requests {len(calls)} = "
              f"{len(calls) / count:.2f}/order (minimum {minimum / count:.2f}, ratio {len(calls) / minimum:.2f}); "
              f"drips {drips:.0f} = {drips / count:.1f}/order (minimum {min_drips / count:.1f}, ratio "
              f"{drips / min_drips:.2f}); order service requests {len(se_sb.request_log) - se0}; {real:.1f}s real")
        for (method, path), n in Counter((r["method"], path_kind(r["path"])) for r in calls).most_common():
            print(f"         {n:>5} {method} {path}")
        ls0, se0 = len(ls_sb.request_log), len(se_sb.request_log)
        run_until_idle(tenant, "smartetailing.orders_import", clock)
        print(f"re-run   nothing new: Lightspeed requests {len(ls_requests(ls_sb, ls0))} (minimum 0), order service "
              f"requests {len(se_sb.request_log) - se0} (minimum 1)")
    finally:
        Tenant.objects.filter(pk=tenant.pk).delete()
        transport_overrides.pop("lightspeed", None)
        transport_overrides.pop("smartetailing", None)


def path_kind(path):
    """/API/V3/Account/123/Sale/456.json -> Sale/{id}.json"""
    tail = path.split("/Account/", 1)[-1].split("/", 1)[-1]
    return "/".join("{id}" if part.split(".")[0].isdigit() else part for part in tail.split("/"))


def minimum_drips(calls, orders, new_customers):
    """The minimum requests priced as the sandbox priced ours (each at our cheapest of its kind); the one-time
    creates at what ours cost."""
    def cheapest(method, kind):
        costs = [r["cost"] for r in calls if r["method"] == method and path_kind(r["path"]).startswith(kind)]
        return min(costs) if costs else 0
    one_time = sum(r["cost"] for r in calls if r["method"] == "POST" and path_kind(r["path"]).startswith(
        ("PaymentType", "Item")))
    return (orders * (cheapest("GET", "Customer") + cheapest("POST", "Sale"))
            + new_customers * cheapest("POST", "Customer") + one_time)


def bench_upload(sizes, sandbox, port):
    print(f"\n=== inventory files ===\n{'items':>8} {'copy s':>8} {'build s':>8} {'upload s':>9} {'build/copy':>11} "
          f"{'upload/copy':>12} {'rows':>7} {'MB':>6}   unchanged run: FTP / Lightspeed / queries")
    for size in sizes:
        tenant, config, location = seed(size)
        SmartEtailingSettings.unscoped.filter(pk=config.pk).update(
            enabled=True, merchant_id=sandbox.merchant, url_key=sandbox.url_key, ftp_host=f"127.0.0.1:{port}",
            ftp_account=sandbox.ftp_user, ftp_password=sandbox.ftp_password)
        config.refresh_from_db()
        copy_s, _ = timed(lambda: bare_copy(tenant))
        build_s, (name, data, rows) = timed(lambda: location_file(tenant=tenant, config=config, location=location))

        def build_and_upload():
            file_name, body, _ = location_file(tenant=tenant, config=config, location=location)
            se_client.pos_ftp_upload(config, file_name, body)
            return body
        upload_s, _ = timed(build_and_upload)
        assert len(sandbox.uploads_last["Newport, KY"]["rows"]) == rows
        ftp, ls_requests, queries = unchanged_run(tenant)
        print(f"{size:>8} {copy_s:>8.3f} {build_s:>8.3f} {upload_s:>9.3f} {build_s / copy_s:>11.1f} "
              f"{upload_s / copy_s:>12.1f} {rows:>7} {len(data) / 1e6:>6.1f}   {ftp} / {ls_requests} / {queries} "
              f"(minimum 0 / 0)", flush=True)


def unchanged_run(tenant):
    """The upload job twice: the first records what the file was made of, the second finds nothing moved."""
    job = "smartetailing.inventory_upload"
    run_job(tenant=tenant, job=job)
    ftp0, lightspeed = CountingFtp.connections, Counting()
    transport_overrides["lightspeed"] = lightspeed
    try:
        with CaptureQueriesContext(connection) as queries:
            run = run_job(tenant=tenant, job=job)
    finally:
        transport_overrides.pop("lightspeed", None)
    assert run.status == "succeeded" and run.counts.get("unchanged") == 1, (run.status, run.error, run.counts)
    return CountingFtp.connections - ftp0, lightspeed.requests, len(queries)


class Counting(httpx.BaseTransport):
    """Where a Lightspeed request of the upload job would go: counted, answered 503."""

    requests = 0

    def handle_request(self, request):
        self.requests += 1
        return httpx.Response(503)


def main(args):
    call_command("migrate", verbosity=0)
    sandbox = SmartEtailingSandbox(seed=1)
    port = sandbox.ftp_start(0)
    se_client.ftplib.FTP = CountingFtp
    try:
        if args.orders:
            bench_orders(args.orders, args.scale, port)
        if args.sizes:
            bench_upload(args.sizes, sandbox, port)
    finally:
        sandbox.ftp_stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--orders", type=int, default=40)
    parser.add_argument("--sizes", type=int, nargs="*", default=[10_000, 100_000])
    parser.add_argument("--scale", type=float, default=50, help="time scale of the orders part")
    main(parser.parse_args())
    sys.exit(0)
