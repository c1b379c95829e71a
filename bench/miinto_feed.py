"""Benchmark: the Miinto feed for 10k and 100k items, against a bare PostgreSQL COPY of the same rows.

    .venv/bin/python bench/miinto_feed.py [--sizes 10000 100000] [--port 9301] [--no-http]

Seeds (once; reused when the counts match) tenants bench-feed-<n> into BENCH_DATABASE_URL
(default postgres://postgres@127.0.0.1:5432/bench_miintofeed, created and migrated if missing) with
INSERT … SELECT generate_series, one price and one stock row per item. The text is deliberately unkind:
every title has double quotes (so every row takes the quoting path), every note non-ASCII (ÆØÅ, an em dash),
1 item in 97 a tab, 1 in 89 a newline, 1 in 50 no EAN (gtin falls back to systemSku), some stock negative.

Then, per size, in this one run:
  copy      psycopg 3 cursor.copy("COPY (<the feed's own SQL>) TO STDOUT (FORMAT csv, DELIMITER E'\\t')")
  view      no feed file yet: the view renders the feed as it streams, through Django's test Client
  view+gz   same, Accept-Encoding: gzip
  http      same, served by gunicorn on 127.0.0.1, fetched with httpx streaming
  render    the feed check renders the file and its gzip into the "feeds" storage
  file      the view serves that file (Client); http file / http f+gz: over HTTP from gunicorn (sendfile)
  304       a conditional GET with the file's ETag (a lookup), over HTTP from gunicorn (and through the Client)
gunicorn runs as in production (one sync worker, persistent database connections); the Client is one for the
whole run, as a server process loads its middleware once.
The last line: `feed/COPY at 100k: <http file total / copy total>×, first byte N ms, 304 N ms`.
Peak memory: tracemalloc during a separate Client run (tracemalloc slows Python, so timings come from
runs without it). first = time to the first body byte, total = time to the last.
"""
import argparse
import os
import statistics
import subprocess
import sys
import time
import tracemalloc

from _setup import ROOT, bench_setup

BENCH_DB = bench_setup("bench_miintofeed", redis_db=5)
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from channels.miinto.feed import feed_items_queryset  # noqa: E402
from channels.miinto.feed_file import feed_file_publish  # noqa: E402
from channels.miinto.models import MiintoFeedFile  # noqa: E402
from channels.miinto.services import miinto_settings_get_or_create  # noqa: E402
from lightspeed.models import Item, ItemPrice, ItemStock, PriceLevel, Shop  # noqa: E402
from tenants.models import Tenant  # noqa: E402

REPEATS = 3


def seed(size):
    tenant, _ = Tenant.objects.get_or_create(slug=f"bench-feed-{size}", defaults={"name": f"Bench feed {size}"})
    if Item.objects.for_tenant(tenant).count() != size:
        Item.objects.for_tenant(tenant).delete()
        Shop.unscoped.get_or_create(tenant=tenant, ls_id=1, defaults={"name": "Main"})
        PriceLevel.unscoped.get_or_create(tenant=tenant, ls_id=1, defaults={"name": "Default"})
        t0 = time.perf_counter()
        with connection.cursor() as cur:
            cur.execute(f"""
                INSERT INTO {Item._meta.db_table} (tenant_id, ls_id, archived, synced_at, system_sku, custom_sku,
                    manufacturer_sku, ean, upc, description, note, color, size, item_matrix_ls_id, category_ls_id,
                    manufacturer_ls_id, category_name, manufacturer_name)
                SELECT %(t)s, n, false, now(), (210000000000 + n)::text, 'STYLE-' || (n / 5),
                    '', CASE WHEN n %% 50 = 0 THEN '' ELSE (5700000000000 + n)::text END, '',
                    'Jacket "Nord" ' || n || CASE WHEN n %% 97 = 0 THEN E'\\twith tab' ELSE '' END,
                    'Warm, waterproof; ÆØÅ — line one' || CASE WHEN n %% 89 = 0 THEN E'\\nline two' ELSE '' END,
                    (ARRAY['Black','Navy','Red','Olive'])[1 + n %% 4], (ARRAY['XS','S','M','L','XL'])[1 + n %% 5],
                    n / 5, 1 + n %% 40, 1 + n %% 25, 'Outerwear/Jackets ' || (n %% 40), 'Brand ' || (n %% 25)
                FROM generate_series(1, %(n)s) AS n""", {"t": tenant.pk, "n": size})
            cur.execute(f"""INSERT INTO {ItemPrice._meta.db_table} (tenant_id, item_id, price_level_ls_id, amount)
                SELECT tenant_id, id, 1, 199 + (ls_id %% 800) + 0.95 FROM {Item._meta.db_table} WHERE tenant_id = %s""",
                        [tenant.pk])
            cur.execute(f"INSERT INTO {ItemStock._meta.db_table} "
                        f"""(tenant_id, item_id, item_shop_ls_id, shop_ls_id, qoh)
                SELECT tenant_id, id, ls_id, 1, (ls_id %% 13) - 2 FROM {Item._meta.db_table} WHERE tenant_id = %s""",
                        [tenant.pk])
            cur.execute(f"ANALYZE {Item._meta.db_table}; ANALYZE {ItemPrice._meta.db_table}; "
                        f"ANALYZE {ItemStock._meta.db_table}")
        print(f"seeded {size} items (+prices, stock) in {time.perf_counter() - t0:.2f}s", flush=True)
    return tenant, miinto_settings_get_or_create(tenant=tenant)


def timed_stream(chunks):
    """(first-byte s, total s, bytes, this process's CPU s) for byte chunks started just before the call."""
    start, cpu = time.perf_counter(), time.process_time()
    first, size = None, 0
    for chunk in chunks():
        if chunk and first is None:
            first = time.perf_counter() - start
        size += len(chunk)
    return first, time.perf_counter() - start, size, time.process_time() - cpu


def copy_chunks(tenant, settings):
    sql, params = feed_items_queryset(tenant=tenant, settings=settings).query.sql_with_params()
    raw = connection.connection  # Django's psycopg 3 connection

    def chunks():
        with raw.cursor() as cur:
            with cur.copy(f"COPY ({sql}) TO STDOUT (FORMAT csv, DELIMITER E'\\t')", params) as copy:
                yield from copy
    return chunks


CLIENT = Client()  # one, as a server process keeps its middleware loaded; a new Client loads it per request


def client_chunks(url, **headers):
    def chunks():
        response = CLIENT.get(url, headers=headers)
        assert response.status_code == 200, response.status_code
        yield from response.streaming_content
        response.close()
    return chunks


def http_client():
    """One httpx client for the run: building one costs ~30 ms (its SSL context), which is not the server's time."""
    global HTTP
    if HTTP is None:
        import httpx

        HTTP = httpx.Client(timeout=60)
    return HTTP


HTTP = None


def http_chunks(url, **headers):
    def chunks():
        with http_client().stream("GET", url, headers=headers) as response:
            assert response.status_code == 200, response.status_code
            yield from response.iter_raw()
    return chunks


def http_conditional(url, etag):
    return http_client().get(url, headers={"If-None-Match": etag, "Accept-Encoding": "identity"}).status_code


def best_conditional(request):
    times, status = [], None
    for _ in range(REPEATS * 3):
        t0 = time.perf_counter()
        status = request()
        times.append(time.perf_counter() - t0)
    return min(times), status


def best(measure):
    runs = [measure() for _ in range(REPEATS)]
    return (min(r[0] for r in runs), statistics.median(r[1] for r in runs), runs[0][2],
            statistics.median(r[3] for r in runs))


def peak_memory(chunks):
    tracemalloc.start()
    for _ in chunks():
        pass
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def server_start(port):
    # As in production (DJANGO_PRODUCTION sets it): persistent database connections, not one per request.
    env = dict(os.environ, DATABASE_URL=BENCH_DB, DJANGO_DEBUG="0", DATABASE_CONN_MAX_AGE="60")
    proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "connector.wsgi", "-b", f"127.0.0.1:{port}", "-w", "1",
                             "--timeout", "120", "--log-level", "warning"], cwd=ROOT, env=env)
    import httpx
    for _ in range(100):
        try:
            httpx.get(f"http://127.0.0.1:{port}/channels/miinto/feed/none.tsv", timeout=1)
            return proc
        except httpx.TransportError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("gunicorn did not start")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--port", type=int, default=9301)
    parser.add_argument("--no-http", action="store_true")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    load = os.getloadavg()[0]
    server = None if args.no_http else server_start(args.port)
    results = {}
    try:
        for size in args.sizes:
            tenant, settings = seed(size)
            path = f"/channels/miinto/feed/{settings.feed_token}.tsv"
            row = results[size] = {}
            MiintoFeedFile.unscoped.filter(tenant=tenant).delete()  # first: the feed rendered as it streams
            row["copy"] = best(lambda: timed_stream(copy_chunks(tenant, settings)))
            row["view"] = best(lambda: timed_stream(client_chunks(path)))
            row["view+gz"] = best(lambda: timed_stream(client_chunks(path, **{"Accept-Encoding": "gzip"})))
            if server:
                url = f"http://127.0.0.1:{args.port}{path}"
                row["http"] = best(lambda: timed_stream(http_chunks(url, **{"Accept-Encoding": "identity"})))
            row["mem_copy"] = peak_memory(copy_chunks(tenant, settings))
            row["mem_view"] = peak_memory(client_chunks(path))
            t0 = time.perf_counter()
            feed_file_publish(tenant=tenant, settings=settings, shop_ls_id=None)  # then: the pre-rendered file
            row["render"] = time.perf_counter() - t0
            row["file"] = best(lambda: timed_stream(client_chunks(path)))
            if server:
                row["http file"] = best(lambda: timed_stream(http_chunks(url, **{"Accept-Encoding": "identity"})))
                row["http f+gz"] = best(lambda: timed_stream(http_chunks(url, **{"Accept-Encoding": "gzip"})))
            etag = CLIENT.get(path)["ETag"]
            row["304"] = best_conditional(lambda: CLIENT.get(path, headers={"If-None-Match": etag}).status_code)
            if server:
                row["http 304"] = best_conditional(lambda: http_conditional(url, etag))
    finally:
        if server:
            server.terminate()
            server.wait(10)
    report(results, load)


def report(results, load):
    print(f"\nMiinto feed benchmark (best first byte / median total of {REPEATS}; python {sys.version.split()[0]})")
    print(f"load average at start {load:.1f} on {os.cpu_count()} CPUs (other work on the machine inflates wall times;"
          f" 'cpu' is this process's CPU time, 0 for http where the server does the work)")
    print(f"{'items':>7} {'path':<9} {'first byte':>10} {'total':>8} {'cpu':>7} {'MB':>7}"
          f" {'first/copy':>10} {'total/copy':>10}")
    for size, row in results.items():
        copy_first, copy_total, _, _ = row["copy"]
        for name in ("copy", "view", "view+gz", "http", "file", "http file", "http f+gz"):
            if name not in row:
                continue
            first, total, size_bytes, cpu = row[name]
            cpu_text = f"{cpu * 1000:.0f}ms" if not name.startswith("http") else "-"
            print(f"{size:>7} {name:<9} {first * 1000:>8.0f}ms {total * 1000:>6.0f}ms {cpu_text:>7}"
                  f" {size_bytes / 1e6:>7.2f} {first / copy_first:>10.1f} {total / copy_total:>10.2f}")
        conditional, status = row.get("http 304") or row["304"]
        print(f"{size:>7} {'render':<9} the feed check renders the file (and its gzip) in {row['render'] * 1000:.0f}ms;"
              f" conditional GET -> {status} in {conditional * 1000:.1f}ms"
              f" ({'over HTTP' if 'http 304' in row else 'Client'}; Client {row['304'][0] * 1000:.1f}ms)")
        print(f"{size:>7} {'memory':<9} peak (tracemalloc) live view {row['mem_view'] / 1e6:.1f} MB,"
              f" copy {row['mem_copy'] / 1e6:.1f} MB, ratio {row['mem_view'] / max(row['mem_copy'], 1):.1f}")
    sizes = list(results)
    if len(sizes) >= 2:
        small, large = results[sizes[0]], results[sizes[-1]]
        print(f"scaling {sizes[0]} -> {sizes[-1]}: view total x{large['view'][1] / small['view'][1]:.1f},"
              f" view memory x{large['mem_view'] / small['mem_view']:.1f}")
    size, row = sizes[-1], results[sizes[-1]]
    served = row.get("http file") or row["file"]
    conditional = row.get("http 304") or row["304"]
    print(f"feed/COPY at {size // 1000}k: {served[1] / row['copy'][1]:.2f}×, first byte {served[0] * 1000:.0f} ms,"
          f" 304 {conditional[0] * 1000:.0f} ms")


if __name__ == "__main__":
    main()
