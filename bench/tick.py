"""Benchmark: one scheduler tick with 10,000 tenants × 6 jobs all due at once.

    .venv/bin/python bench/tick.py [--tenants 10000] [--rounds 3] [--no-publish]

Six jobs per tenant by default, a tenant with Miinto and SameSystem: the Lightspeed reference, catalog and sales
mirrors, Miinto's order import and status sync, and SameSystem's nightly export (wall clock, "02:00
Europe/Copenhagen"). `--all-jobs` gives every tenant every registered job. Per round every
schedule is made due (overdue by 0–10 minutes), then `schedules_tick` runs once. Printed: the
tick's time (claim + commit; the database part), its number of SQL queries, how many runs it
queued, and the time to publish them all to the broker in one go (on_commit, one connection): above
dispatch.FANOUT_CHUNK runs the tick sends one message per chunk, and a worker of each queue publishes the
chunk's single runs; the time one worker takes for one chunk is printed too.
Database: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/bench_tick, created and
migrated if missing); the broker: Redis db 4, whose queues are purged after each round.
"""
import argparse
import time

from _setup import bench_setup

BENCH_DB = bench_setup("bench_tick", redis_db=4)
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from connector import dispatch  # noqa: E402
from connector.celery import app as celery_app  # noqa: E402
from connector.models import Schedule  # noqa: E402
from connector.registry import all_jobs  # noqa: E402
from connector.schedules import schedules_tick  # noqa: E402
from connector.tasks import publish_runs  # noqa: E402
from tenants.models import Tenant  # noqa: E402

TENANT_JOBS = ["lightspeed.reference_sync", "lightspeed.catalog_sync", "lightspeed.sales_sync", "miinto.orders_import",
               "miinto.status_sync", "samesystem.nightly_export"]


def bench_jobs(every):
    return [job for job in all_jobs() if every or job.name in TENANT_JOBS]


def seed(n_tenants, jobs):
    """n tenants with one schedule per job (idempotent: reuses what is there)."""
    have = Tenant.objects.filter(slug__startswith="tick-").count()
    Tenant.objects.bulk_create([Tenant(slug=f"tick-{i}", name=f"Tick {i}") for i in range(have, n_tenants)],
                               batch_size=2000)
    tenant_ids = list(Tenant.objects.filter(slug__startswith="tick-").order_by("id").values_list("id", flat=True))
    tenant_ids = tenant_ids[:n_tenants]
    Schedule.unscoped.exclude(tenant_id__in=tenant_ids).delete()
    Schedule.unscoped.exclude(job__in=[job.name for job in jobs]).delete()
    existing = set(Schedule.unscoped.values_list("tenant_id", "job"))
    now = timezone.now()
    rows = [Schedule(tenant_id=t, job=job.name, interval_seconds=int(job.interval.total_seconds()), next_run_at=now)
            for t in tenant_ids for job in jobs if (t, job.name) not in existing]
    Schedule.unscoped.bulk_create(rows, batch_size=5000)
    return len(tenant_ids)


def make_all_due(now, tenants):
    """The first `tenants` tenants' schedules due (overdue by 0-10 min), the others switched off."""
    last_id = Tenant.objects.filter(slug__startswith="tick-").order_by("id").values_list("id", flat=True)[tenants - 1]
    with connection.cursor() as cursor:
        cursor.execute("UPDATE connector_schedule SET enabled = tenant_id <= %s, paused_reason = '', "
                       "next_run_at = %s - (id %% 600) * interval '1 second'", [last_id, now])
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE connector_schedule")


def one_round(tenants, publish):
    now = timezone.now()
    make_all_due(now, tenants)
    published = {}
    real_publish = dispatch.runs_publish

    def timed_publish(orders):
        started = time.perf_counter()
        if publish:
            real_publish(orders)
        published.update(n=len(orders), seconds=time.perf_counter() - started)

    dispatch.runs_publish = timed_publish
    try:
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            with transaction.atomic():  # the on_commit publish runs after the timed tick
                picked = schedules_tick(now=now)
                tick_seconds = time.perf_counter() - started
            commit_seconds = time.perf_counter() - started
    finally:
        dispatch.runs_publish = real_publish
    due_left = Schedule.unscoped.filter(enabled=True, next_run_at__lte=now).count()
    chunk = [dispatch.run_order_row(dispatch.RunOrder(tenant_id=t, job=job))
             for t, job in picked[:dispatch.FANOUT_CHUNK]]
    started = time.perf_counter()
    if publish:
        publish_runs(chunk)  # what a worker does with one chunk message
    chunk_seconds = time.perf_counter() - started
    with celery_app.connection_for_write() as conn:
        for queue in ("orders", "bulk"):
            conn.default_channel.queue_purge(queue)
    return {"picked": len(picked), "tick": tick_seconds, "commit": commit_seconds, "queries": len(queries),
            "published": published.get("n", 0), "publish": published.get("seconds", 0.0), "left": due_left,
            "chunk": len(chunk), "chunk_seconds": chunk_seconds}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tenants", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--all-jobs", action="store_true", help="every registered job for every tenant")
    parser.add_argument("--no-publish", action="store_true", help="skip sending the tasks to the broker")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    jobs = bench_jobs(args.all_jobs)
    n = seed(args.tenants, jobs)
    print("jobs:", ", ".join(job.name for job in jobs))
    jobs = len(jobs)
    print(f"{n} tenants × {jobs} jobs = {Schedule.unscoped.count()} schedules, all due each round")
    for size in (n // 10, n):
        for i in range(args.rounds):
            r = one_round(size, publish=not args.no_publish)
            commit = r["commit"] - r["tick"] - r["publish"]  # the on-commit publish is timed on its own
            print(f"{size:>6} tenants round {i + 1}: tick {(r['tick'] + commit) * 1000:5.0f} ms (claim"
                  f" {r['tick'] * 1000:.0f} + commit {commit * 1000:.0f}), {r['queries']} queries, {r['picked']}"
                  f" claimed, {r['left']} still due; then published {r['published']} runs in"
                  f" {r['publish'] * 1000:.0f} ms; a worker publishes a chunk of {r['chunk']} in"
                  f" {r['chunk_seconds'] * 1000:.0f} ms")


if __name__ == "__main__":
    main()
