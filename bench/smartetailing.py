"""Benchmark: the SmartEtailing inventory file for 10k and 100k items, against a bare PostgreSQL COPY of the
same rows, plus the real FTP upload and what an unchanged run costs.

    .venv/bin/python bench/smartetailing_upload.py [--sizes 10000 100000]

Seeds (once; reused when the counts match) tenants bench-se-<n> into BENCH_DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/bench_smartetailing, created and migrated if missing): one shop, n items
with stock (1 in 13 out of stock), and three price levels (regular, sale, MSRP) per item. Per size, in this
one run (best of 3):
  copy     psycopg 3 COPY (the same join: stock, item fields, three prices) TO STDOUT (FORMAT csv)
  build    upload.location_file(): the rows from the mirror through the file adapter (our code)
  upload   build + STOR to the SmartEtailing sandbox's real FTP server on loopback
  again    the upload job's decision for an unchanged file: FTP connections made (the minimum is 0)
"""
import argparse
import sys
import time

from _setup import bench_setup

BENCH_DB = bench_setup("bench_smartetailing", redis_db=4)
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from channels.smartetailing import client as se_client  # noqa: E402
from channels.smartetailing.inventory import checksum  # noqa: E402
from channels.smartetailing.models import SmartEtailingLocation, SmartEtailingSettings  # noqa: E402
from channels.smartetailing.sandbox import SmartEtailingSandbox  # noqa: E402
from channels.smartetailing.upload import location_file, upload_due  # noqa: E402
from lightspeed.models import Item, ItemPrice, ItemStock, PriceLevel, Shop  # noqa: E402
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


def main(sizes):
    call_command("migrate", verbosity=0)
    sandbox = SmartEtailingSandbox(seed=1)
    port = sandbox.ftp_start(0)
    se_client.ftplib.FTP = CountingFtp
    print(f"{'items':>8} {'copy s':>8} {'build s':>8} {'upload s':>9} {'build/copy':>11} {'upload/copy':>12} "
          f"{'rows':>7} {'MB':>6} {'unchanged: FTP connections':>27}")
    for size in sizes:
        tenant, config, location = seed(size)
        config.ftp_host, config.ftp_account, config.ftp_password = f"127.0.0.1:{port}", sandbox.ftp_user, \
            sandbox.ftp_password
        copy_s, _ = timed(lambda: bare_copy(tenant))
        build_s, (name, data, rows) = timed(lambda: location_file(tenant=tenant, config=config, location=location))

        def build_and_upload():
            file_name, body, _ = location_file(tenant=tenant, config=config, location=location)
            se_client.pos_ftp_upload(config, file_name, body)
            return body
        upload_s, body = timed(build_and_upload)
        location.last_checksum, location.last_uploaded_at = checksum(body), timezone.now()
        before = CountingFtp.connections
        _, again, _ = location_file(tenant=tenant, config=config, location=location)
        if upload_due(location, checksum(again), timezone.now()):
            se_client.pos_ftp_upload(config, name, again)
        unchanged = CountingFtp.connections - before
        assert len(sandbox.uploads_last["Newport, KY"]["rows"]) == rows
        print(f"{size:>8} {copy_s:>8.3f} {build_s:>8.3f} {upload_s:>9.3f} {build_s / copy_s:>11.1f} "
              f"{upload_s / copy_s:>12.1f} {rows:>7} {len(data) / 1e6:>6.1f} {unchanged:>27} (minimum 0)",
              flush=True)
    sandbox.ftp_stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    main(parser.parse_args().sizes)
    sys.exit(0)
