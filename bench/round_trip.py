"""Benchmark: the order round trip with a real worker and beat, against both sandboxes, over HTTP.

    .venv/bin/python bench/round_trip.py [--orders 30] [--port 9311]

Runs `manage.py demo` on PostgreSQL and Redis (a fresh database BENCH_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/bench_roundtrip, dropped and created; Redis db 9 as broker and cache), with
the web server, a Celery worker (every queue), Celery beat and both sandboxes, as in production but on one
machine. After the first catalog sync it places --orders Miinto orders, a few seconds apart, each in its own
thread, and measures two legs per order, as a store owner would see them:

  leg 1  order placed on Miinto            -> an open sale with its reference exists in Lightspeed
  leg 2  the sale completed in Lightspeed  -> Miinto has the positions accepted

Then it reads the Lightspeed sandbox's request log over the measured window, as shares of a one-register bucket
(drip 1/s): the polling cost, the sales mirror's probes (`Sale.json?timeStamp=>=,…`: the requests that only
ask whether anything changed), and apart from it what reading the changed sales cost (`saleID=IN,[…]` with
their lines and payments, which any design pays once per change, webhooks included). A lookup of one order's
reference is the order import's, not polling.
Prints p50, p95 and max of both legs. Wall-clock times: other work on the machine lengthens them.
"""
import argparse
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
DB = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_roundtrip")
REDIS = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9")
ONE_REGISTER_DRIP = 1.0  # drips per second a one-register account's bucket leaks (lightspeed-retail-api.md)
LEG_TIMEOUT = 300
LIGHTSPEED_DEMO_PORT, MIINTO_DEMO_PORT = 8101, 8102  # the channels' Sandbox.port


def database_recreate(url):
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def demo_start(args, var_dir):
    offset = args.port + 1 - LIGHTSPEED_DEMO_PORT  # every sandbox beside the bench's, away from a running demo
    ls, miinto = (f"http://127.0.0.1:{port + offset}" for port in (LIGHTSPEED_DEMO_PORT, MIINTO_DEMO_PORT))
    env = dict(os.environ, DATABASE_URL=DB, REDIS_URL=REDIS, CELERY_BROKER_URL=REDIS, CONNECTOR_VAR_DIR=var_dir,
               DJANGO_SETTINGS_MODULE="connector.settings", PYTHONUNBUFFERED="1",
               LIGHTSPEED_API_URL=ls, LIGHTSPEED_AUTH_URL=ls, MIINTO_AUTH_URL=miinto, MIINTO_ORDER_URL=miinto)
    subprocess.run(["redis-cli", "-u", REDIS, "flushdb"], check=True, capture_output=True)
    process = subprocess.Popen(
        [sys.executable, "manage.py", "demo", "--port", str(args.port), "--port-offset", str(offset)],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    deadline = time.monotonic() + 240
    for line in process.stdout:
        if "Ctrl-C stops everything" in line:
            break
        if time.monotonic() > deadline:
            raise SystemExit("the demo did not start")
    log = open(args.log, "w") if args.log else None  # the demo's output (worker and beat logs), for diagnosis
    threading.Thread(target=lambda: [log and log.write(line) for line in process.stdout], daemon=True).start()
    return process, env, ls, miinto


def runjob(env, job):
    for _ in range(120):
        done = subprocess.run([sys.executable, "manage.py", "runjob", "demo", job], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=600)
        if "already running" not in done.stderr:
            if done.returncode:
                raise SystemExit(f"{job} failed:\n{done.stdout}\n{done.stderr}")
            return
        time.sleep(1)


def gtins_in_stock(env, count):
    """EANs of mirrored items with stock (Miinto orders carry EANs)."""
    script = ("from lightspeed.models import ItemStock;"
              "rows = ItemStock.unscoped.filter(tenant__slug='demo', qoh__gt=5, item__archived=False)"
              ".exclude(item__ean='')"
              f".values_list('item__ean', flat=True).distinct()[:{count}];"
              "print('GTINS', *rows)")
    out = subprocess.run([sys.executable, "manage.py", "shell", "-c", script], cwd=ROOT, env=env, capture_output=True,
                         text=True, check=True).stdout
    out = next((line.split()[1:] for line in out.splitlines() if line.startswith("GTINS")), [])
    if not out:
        raise SystemExit("no item with an EAN in stock in the mirror")
    return out


def wait_for(predicate, timeout=LEG_TIMEOUT, every=0.25):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(every)
    return None


def one_order(ls, miinto, gtin, results, lock):
    http = httpx.Client(timeout=30)
    placed = time.monotonic()
    transfer_id = http.post(f"{miinto}/sandbox/orders", json={
        "positions": [{"gtin": gtin, "quantity": 1, "price": 19900}]}).json()["transfer_id"]

    def open_sale():
        for sale in http.get(f"{ls}/sandbox/sales").json()["sales"]:
            if str(sale.get("referenceNumber", "")).endswith(f"-{transfer_id}"):
                return sale["saleID"]
        return None

    sale_id = wait_for(open_sale)
    leg1 = time.monotonic() - placed
    if sale_id is None:
        with lock:
            results.append({"transfer": transfer_id, "leg1": None, "leg2": None})
        return
    completed = time.monotonic()
    http.post(f"{ls}/sandbox/sales/{sale_id}/complete").raise_for_status()

    def accepted():
        return any(a["action"] == "accept" and str(a["transfer_id"]) == str(transfer_id)
                   for a in http.get(f"{miinto}/sandbox/actions").json())

    ok = wait_for(accepted)
    with lock:
        results.append({"transfer": transfer_id, "leg1": leg1, "leg2": time.monotonic() - completed if ok else None})


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def sales_reads(ls, window_start, window_end):
    """{"probes": (requests, drips, share), "details": (...)}: the GETs of sales in the window, not lookups."""
    log = httpx.get(f"{ls}/sandbox/requests", params={"limit": 1_000_000}, timeout=60).json()["requests"]
    reads = [r for r in log if r["method"] == "GET" and "/Sale" in r["path"]
             and "referenceNumber" not in (r["query"] or "") and window_start <= float(r["time"]) <= window_end]
    bucket = (window_end - window_start) * ONE_REGISTER_DRIP
    kinds = {"probes": [r for r in reads if "saleID" not in (r["query"] or "")],
             "details": [r for r in reads if "saleID" in (r["query"] or "")]}
    return {kind: (len(rows), drips := sum(float(r.get("cost") or 0) for r in rows), drips / bucket)
            for kind, rows in kinds.items()}


def summary(name, values):
    done = [v for v in values if v is not None]
    if not done:
        return f"{name}: none completed"
    return (f"{name}: p50 {statistics.median(done):.1f} s, p95 {percentile(done, 0.95):.1f} s, max {max(done):.1f} s"
            f" ({len(done)} of {len(values)} completed)")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--orders", type=int, default=30)
    parser.add_argument("--port", type=int, default=9311)
    parser.add_argument("--log", help="write the demo's output (web, worker, beat, sandboxes) to this file")
    # A one-register bucket leaks 1 drip/s; an imported order costs about 8 drips (customer lookup and
    # create, the sale, the lookup after it), so one register sustains about 7 orders a minute: faster
    # than that and the bucket, not the scheduler, sets the latency.
    parser.add_argument("--spacing", type=float, default=12.0, help="mean seconds between orders")
    args = parser.parse_args()
    database_recreate(DB)
    with tempfile.TemporaryDirectory(prefix="bench-roundtrip-") as var_dir:
        process, env, ls, miinto = demo_start(args, var_dir)
        try:
            runjob(env, "lightspeed.reference_sync")
            runjob(env, "lightspeed.catalog_sync")
            gtins = gtins_in_stock(env, args.orders)
            sandbox_now = float(httpx.get(f"{ls}/sandbox/", timeout=30).json()["now"])
            results, lock, threads = [], threading.Lock(), []
            rng = random.Random(1)
            for n in range(args.orders):
                thread = threading.Thread(target=one_order, args=(ls, miinto, gtins[n % len(gtins)], results, lock))
                thread.start()
                threads.append(thread)
                time.sleep(rng.uniform(0, 2 * args.spacing))
            for thread in threads:
                thread.join()
            sandbox_end = float(httpx.get(f"{ls}/sandbox/", timeout=30).json()["now"])
            reads = sales_reads(ls, sandbox_now, sandbox_end)
        finally:
            os.killpg(process.pid, signal.SIGINT)
            process.wait(120)
    print(f"\nRound trip over {len(results)} orders (real worker and beat, PostgreSQL + Redis, both sandboxes;"
          f" load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)")
    print(summary("leg 1, Miinto order -> open Lightspeed sale  ", [r["leg1"] for r in results]))
    print(summary("leg 2, sale completed -> Miinto accepted     ", [r["leg2"] for r in results]))
    window = sandbox_end - sandbox_now
    polls, drips, share = reads["probes"]
    print(f"polling: {polls} probes of the sales mirror, {drips:.1f} drips in {window:.0f} s ="
          f" {share:.1%} of a one-register bucket")
    reads_n, drips, share = reads["details"]
    print(f"reading the changed sales (not polling): {reads_n} requests, {drips:.1f} drips = {share:.1%};"
          f" both together {reads['probes'][2] + share:.1%}")


if __name__ == "__main__":
    main()
