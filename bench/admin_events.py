"""Does the support admin stay fast with a million events?

Seeds its own database (bench_admin, next to DATABASE_URL's) with SyncEvent rows through
INSERT ... SELECT generate_series, first 10,000, then 1,000,000, and at both sizes times the
admin changelists through Django's test client (logged in as a superuser) and EXPLAIN ANALYZEs
each list's page query. Prints per list: wall time of the whole request, the page query's
execution time, rows the page query examined, the number of queries, and the 1M/10k ratio.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/x python bench/admin_events.py [--events 1000000]
"""
import argparse
import json
import os
import sys
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TENANTS, RUNS, SMALL = 100, 10_000, 10_000


def bench_database_url(name="bench_admin"):
    base = urlsplit(os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"))
    return urlunsplit(base._replace(path=f"/{name}")), urlunsplit(base._replace(path="/postgres"))


def database_recreate(url, admin_url):
    import psycopg

    name = urlsplit(url).path.lstrip("/")
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def django_setup(url):
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "connector.settings")
    os.environ["LOG_LEVEL"] = "WARNING"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def sql(statement, params=None):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def seed_base():
    from connector.models import SyncRun
    from tenants.models import Tenant

    sql(f"""INSERT INTO {Tenant._meta.db_table} (name, slug, time_zone, created_at)
            SELECT 'Shop ' || g, 'shop-' || g, 'UTC', now() FROM generate_series(1, {TENANTS}) g""")
    sql(f"""INSERT INTO {SyncRun._meta.db_table}
              (tenant_id, job, trigger, status, dry_run, params, attempt, started_at, heartbeat_at, finished_at,
               counts, error_kind, error, traceback)
            SELECT (SELECT min(id) FROM {Tenant._meta.db_table}) + g % {TENANTS},
                   (ARRAY['lightspeed.catalog_sync','lightspeed.sales_sync','miinto.orders_import',"""
        f"""'miinto.feed'])[1 + g % 4],
                   'schedule', CASE WHEN g % 50 = 0 THEN 'failed' ELSE 'succeeded' END, false, '{{}}', 1,
                   now() - (g || ' minutes')::interval, now(), now(), '{{}}', '', '', ''
            FROM generate_series(1, {RUNS}) g""")


def seed_events(first, last):
    """Events first..last: spread over 30 days, 2% errors, 8% warnings, one object id each."""
    from connector.models import SyncEvent, SyncRun

    sql(f"""INSERT INTO {SyncEvent._meta.db_table}
              (tenant_id, run_id, job, created_at, level, message, object_type, object_id, data)
            SELECT r.tenant_id, r.id, r.job,
                   now() - ((g::bigint * 2592) / 1000.0 || ' seconds')::interval,
                   CASE WHEN g % 50 = 0 THEN 'error' WHEN g % 12 = 0 THEN 'warning' ELSE 'info' END,
                   'order imported', 'order', 'order-' || g, '{{}}'
            FROM generate_series({first}, {last}) g
            JOIN {SyncRun._meta.db_table} r ON r.id = (SELECT min(id) FROM {SyncRun._meta.db_table}) + g % {RUNS}""")
    sql(f"VACUUM ANALYZE {SyncEvent._meta.db_table}")
    sql(f"VACUUM ANALYZE {SyncRun._meta.db_table}")


def lists():
    from datetime import timedelta

    from django.utils import timezone

    from tenants.models import Tenant

    tenant = Tenant.objects.order_by("id")[TENANTS // 2]
    week_ago = (timezone.now() - timedelta(days=7)).strftime("%Y-%m-%d 00:00:00+00:00")
    tomorrow = (timezone.now() + timedelta(days=1)).strftime("%Y-%m-%d 00:00:00+00:00")
    events = "/admin/connector/syncevent/"
    return {
        "events, unfiltered": events,
        "events, by tenant": f"{events}?tenant__id__exact={tenant.pk}",
        "events, level+date": f"{events}?" + urlencode(
            {"level__exact": "error", "created_at__gte": week_ago, "created_at__lt": tomorrow}
        ),
        "events, by job": f"{events}?job=miinto.orders_import",
        "events, search id": f"{events}?q=order-4200",
        "events, page 20": f"{events}?p=20",
        "runs, unfiltered": "/admin/connector/syncrun/",
        "runs, failed": "/admin/connector/syncrun/?status__exact=failed",
        "runs, search id": "/admin/connector/syncrun/?q=order-4200",
    }


def examined(plan):
    """Rows read by the plan's scans (returned + removed by filter), over all loops."""
    total = 0
    if "Scan" in plan.get("Node Type", ""):
        loops = plan.get("Actual Loops", 1)
        total += (plan.get("Actual Rows", 0) + plan.get("Rows Removed by Filter", 0)) * loops
    for child in plan.get("Plans", []):
        total += examined(child)
    return total


def list_queries_explain(queries, table):
    """EXPLAIN ANALYZE every SELECT of the request that reads the listed table (count + page)."""
    from django.db import connection

    total_ms, total_rows = 0.0, 0
    for query in queries:
        if not query["sql"].startswith("SELECT") or f'FROM "{table}"' not in query["sql"]:
            continue
        plans = []
        for _ in range(3):  # the fastest of three: the machine may be busy with other work
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + query["sql"])
                (result,) = cursor.fetchone()
            plans.append((json.loads(result) if isinstance(result, str) else result)[0])
        total_ms += min(plan["Execution Time"] for plan in plans)
        total_rows += examined(plans[0]["Plan"])
    return total_ms, total_rows


def measure(client, url, table, repeats=9):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm caches
    times = []
    for _ in range(repeats):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - started)
        assert response.status_code == 200, (url, response.status_code)
    exec_ms, rows = list_queries_explain(captured.captured_queries, table)
    return {"ms": min(times) * 1000, "sql_ms": exec_ms, "rows": rows, "queries": len(captured)}


def measure_all(client):
    from connector.models import SyncEvent, SyncRun

    tables = {"events": SyncEvent._meta.db_table, "runs": SyncRun._meta.db_table}
    return {name: measure(client, url, tables[name.split(",")[0]]) for name, url in lists().items()}


def report(small, big, events):
    print(f"\n{'list':<22}{'10k: ms':>10}{'sql ms':>9}{'rows':>8}{'q':>4} |{'big: ms':>9}{'sql ms':>9}"
          f"{'rows':>8}{'q':>4} |{'ratio':>7}{'sql ratio':>10}")
    for name in small:
        s, b = small[name], big[name]
        print(f"{name:<22}{s['ms']:>10.1f}{s['sql_ms']:>9.2f}{s['rows']:>8}{s['queries']:>4} |"
              f"{b['ms']:>9.1f}{b['sql_ms']:>9.2f}{b['rows']:>8}{b['queries']:>4} |{b['ms'] / s['ms']:>6.2f}x"
              f"{b['sql_ms'] / s['sql_ms']:>9.2f}x")
    print(f"(ms: fastest of 9 whole admin requests, q: their queries; sql ms / rows: EXPLAIN ANALYZE of the "
          f"request's queries on the listed table (count + page), rows = rows its scans read; big: {events:,} events)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    args = parser.parse_args()
    url, admin_url = bench_database_url()
    database_recreate(url, admin_url)
    django_setup(url)
    from django.contrib.auth import get_user_model
    from django.test import Client

    get_user_model().objects.create_superuser("bench", "bench@example.com", "bench-password")
    client = Client()
    client.force_login(get_user_model().objects.get(username="bench"))
    seed_base()
    started = time.perf_counter()
    seed_events(1, SMALL)
    small = measure_all(client)
    seed_events(SMALL + 1, args.events)
    print(f"seeded {args.events:,} events in {time.perf_counter() - started:.1f}s")
    big = measure_all(client)
    report(small, big, args.events)


if __name__ == "__main__":
    main()
