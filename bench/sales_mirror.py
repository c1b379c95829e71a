"""Benchmark: the sales mirror in a virtual hour — what polling costs, and how soon a channel hears of a sale.

    .venv/bin/python bench/sales_mirror.py [--sales 60] [--minutes 60] [--seed 3]

Set-up (before the hour): a tenant connected to the Lightspeed sandbox, catalog mirrored, Miinto set up and
`--sales` pending Miinto orders imported as open Lightspeed sales. During the hour only the scheduler drives:
the 5 s tick (`schedules_tick`, on a virtual clock) queues `lightspeed.sales_sync` at its registered interval (25 s) and
`miinto.status_sync` on its 5-minute fallback; a poll that writes to the mirror queues the status sync at once
(`follows=`). One simulated worker runs the queued runs in order; virtual time jumps between events and flows
at real speed while a run works, so run times count. The POS completes the open sales at random moments.

Printed, measured in this one run:
  requests per empty poll (minimum 1) and drips per empty poll;
  bucket share at that cadence: drips the mirror used in the hour / what a one-register account's bucket
  drains in an hour (1 drip/s × 3600), and the same for a poll-everything design that loads relations on
  every poll (2.8 drips) as the comparison;
  p50/p95/max latency from a sale's completion in Lightspeed to Miinto's accept call (goal: p95 ≤ 30 s);
  status-sync runs: how many followed a poll, how many came from the fallback interval.
Database: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/bench_sales_mirror, created and
migrated if missing); Redis db 2.
"""
import argparse
import heapq
import random
import statistics
import time
from contextlib import contextmanager
from datetime import datetime, timezone

from _setup import bench_setup, lightspeed_connect

BENCH_DB = bench_setup("bench_sales_mirror", redis_db=2)
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402

from channels.miinto.client import channels_forget  # noqa: E402
from channels.miinto.models import MiintoSettings, MiintoShop  # noqa: E402
from channels.miinto.sandbox import MiintoSandbox  # noqa: E402
from connector import dispatch  # noqa: E402
from connector.clock import FakeClock  # noqa: E402
from connector.http import transport_overrides  # noqa: E402
from connector.models import Schedule, SyncRun  # noqa: E402
from connector.runs import run_job  # noqa: E402
from connector.schedules import schedule_enable, schedules_tick  # noqa: E402
from lightspeed.models import Item  # noqa: E402
from lightspeed.sandbox import LightspeedSandbox  # noqa: E402
from tenants.models import Tenant  # noqa: E402

TICK_SECONDS = 5.0
MIRROR, STATUS = "lightspeed.sales_sync", "miinto.status_sync"
ONE_REGISTER_DRIPS_PER_HOUR = 1.0 * 3600  # drip rate 1/s for one register (docs §2.1)
LOADED_POLL_DRIPS = 2.8  # one Sale page with the seven relations the mirror needs, on a list endpoint


class SimClock(FakeClock):
    """Virtual time: jumps from event to event, and flows at real speed while a run works."""

    def __init__(self, start):
        super().__init__(start)
        self._flow_from = None

    def time(self):
        flowing = time.perf_counter() - self._flow_from if self._flow_from is not None else 0.0
        return self._t + flowing

    def jump_to(self, moment):
        self._t = max(self._t, moment)

    @contextmanager
    def flowing(self):
        self._flow_from = time.perf_counter()
        try:
            yield
        finally:
            self._t += time.perf_counter() - self._flow_from
            self._flow_from = None


def buckets_reset(sandbox):
    """The sandbox's bucket and the client's shared (Redis) view of it, empty at the start of the hour."""
    from lightspeed.ratelimit import _redis

    if settings.REDIS_URL:
        for key in _redis().scan_iter("lightspeed:bucket:*"):
            _redis().delete(key)
    sandbox.reset_bucket()


def must(run):
    if run.status not in ("succeeded", "partial"):
        raise SystemExit(f"{run.job} {run.status}: {run.error}\n{run.traceback}")
    return run


def setup(n_sales, clock):
    ls_sb = LightspeedSandbox(items=300, shops=2, registers=3, seed=11, clock=clock)
    mi_sb = MiintoSandbox(clock=clock, seed=11)
    transport_overrides["lightspeed"], transport_overrides["miinto"] = ls_sb.transport(), mi_sb.transport()
    settings.LIGHTSPEED_CLIENT_ID, settings.LIGHTSPEED_CLIENT_SECRET = ls_sb.client_id, ls_sb.client_secret
    channels_forget()
    Tenant.objects.filter(slug="bench-sales-mirror").delete()
    tenant = Tenant.objects.create(slug="bench-sales-mirror", name="Bench sales mirror")
    lightspeed_connect(tenant, ls_sb, clock)
    for job in ("lightspeed.reference_sync", "lightspeed.catalog_sync", MIRROR):
        must(run_job(tenant=tenant, job=job, clock=clock))
    MiintoSettings.objects.for_tenant(tenant).update_or_create(
        tenant=tenant, defaults={"enabled": True, "identifier": mi_sb.identifier, "secret": mi_sb.secret})
    MiintoShop.objects.create(tenant=tenant, shop_id=mi_sb.shop_ids[0], country="DK", lightspeed_shop_ls_id=1)
    eans = list(Item.objects.for_tenant(tenant).filter(archived=False).exclude(ean="").values_list("ean", flat=True))
    for n in range(n_sales):
        mi_sb.add_pending_order(mi_sb.shop_ids[0], [{"gtin": eans[n % len(eans)], "quantity": 1, "price": 19900}])
    must(run_job(tenant=tenant, job="miinto.orders_import", clock=clock))
    open_sales = sorted(s.sale_id for s in ls_sb.state.sales.values() if s.reference_number_source == "Miinto")
    return tenant, ls_sb, mi_sb, open_sales


class Simulation:
    def __init__(self, tenant, clock, ls_sb, mi_sb):
        self.tenant, self.clock, self.ls_sb, self.mi_sb = tenant, clock, ls_sb, mi_sb
        self.events, self.queue, self.seq = [], [], 0
        self.completed_at, self.accepted_at, self.runs = {}, {}, []
        self.transfer_of = {}

    def push(self, moment, kind, payload=None):
        self.seq += 1
        heapq.heappush(self.events, (moment, self.seq, kind, payload))

    def publish(self, orders):
        """dispatch.runs_publish, simulated: the run is ready after its countdown."""
        for order in orders:
            self.seq += 1
            heapq.heappush(self.queue, (self.clock.time() + (order.countdown or 0.0), self.seq, order))

    def watch_accepts(self):
        original = self.mi_sb.transfer_decide

        def decide(shop_id, transfer_id, body, *args, **kwargs):
            if body.get("acceptedPositions"):
                self.accepted_at.setdefault(int(transfer_id), self.clock.time())
            return original(shop_id, transfer_id, body, *args, **kwargs)

        self.mi_sb.transfer_decide = decide

    def run(self, end):
        while self.events or self.queue:
            next_event = self.events[0][0] if self.events else float("inf")
            if self.queue and max(self.queue[0][0], self.clock.time()) <= next_event:
                ready, _, order = heapq.heappop(self.queue)
                self.clock.jump_to(ready)
                self.work(order)
                continue
            if next_event > end and not self.queue:
                break
            moment, _, kind, payload = heapq.heappop(self.events)
            self.clock.jump_to(moment)
            self.handle(kind, payload)

    def handle(self, kind, payload):
        if kind == "tick":
            schedules_tick(now=datetime.fromtimestamp(self.clock.time(), tz=timezone.utc))
        elif kind == "complete":
            self.ls_sb.complete_sale(payload)
            self.completed_at[payload] = self.clock.time()

    def work(self, order):
        started = self.clock.time()
        with self.clock.flowing():
            run = must(run_job(tenant=self.tenant, job=order.job, trigger=order.trigger, params=order.params,
                               attempt=order.attempt, clock=self.clock))
        self.runs.append((started, order, run))
        if run.run_again:
            self.publish([dispatch.RunOrder(tenant_id=self.tenant.pk, job=order.job, trigger="schedule")])


def simulate(n_sales, minutes, seed):
    clock = SimClock(start=1_790_000_000.0)
    tenant, ls_sb, mi_sb, open_sales = setup(n_sales, clock)
    sim = Simulation(tenant, clock, ls_sb, mi_sb)
    sim.watch_accepts()
    sim.transfer_of = {s.sale_id: int(s.reference_number.removeprefix("MIINTO-")) for s in ls_sb.state.sales.values()
                       if s.reference_number_source == "Miinto"}
    Schedule.objects.for_tenant(tenant).update(enabled=False)
    for job in (MIRROR, STATUS):
        schedule_enable(tenant=tenant, job=job)
    start = clock.time()
    Schedule.objects.for_tenant(tenant).update(next_run_at=datetime.fromtimestamp(start, tz=timezone.utc))
    buckets_reset(ls_sb)
    log_start = len(ls_sb.request_log)
    end = start + minutes * 60
    rng = random.Random(seed)
    for k in range(int(minutes * 60 / TICK_SECONDS)):
        sim.push(start + k * TICK_SECONDS, "tick")
    for sale_id in open_sales:
        sim.push(start + rng.uniform(0, minutes * 60 - 60), "complete", sale_id)
    real_publish, dispatch.runs_publish = dispatch.runs_publish, sim.publish
    real0 = time.perf_counter()
    try:
        sim.run(end)
    finally:
        dispatch.runs_publish = real_publish
    report(sim, ls_sb.request_log[log_start:], minutes, time.perf_counter() - real0)
    Tenant.objects.filter(pk=tenant.pk).delete()


def report(sim, requests, minutes, real_seconds):
    mirror_runs = [(at, run) for at, order, run in sim.runs if order.job == MIRROR]
    status_runs = [(order, run) for _, order, run in sim.runs if order.job == STATUS]
    empty = [run for _, run in mirror_runs if not run.counts.get("sales.changed")]
    per_empty = statistics.mean(run.counts.get("requests", 0) for run in empty) if empty else float("nan")
    drips_empty = statistics.mean(run.counts.get("drips", 0) for run in empty) if empty else float("nan")
    api = [r for r in requests if r["path"].startswith("/API/")]
    drips = sum(r["cost"] or 0 for r in api)
    hours = minutes / 60
    share = drips / hours / ONE_REGISTER_DRIPS_PER_HOUR
    loaded_share = len(mirror_runs) * LOADED_POLL_DRIPS / hours / ONE_REGISTER_DRIPS_PER_HOUR
    gaps = [b - a for (a, _), (b, _) in zip(mirror_runs, mirror_runs[1:])]
    latencies = sorted(sim.accepted_at[sim.transfer_of[sale_id]] - done for sale_id, done in sim.completed_at.items()
                       if sim.transfer_of[sale_id] in sim.accepted_at)
    p95 = latencies[max(0, int(len(latencies) * 0.95 + 0.5) - 1)] if latencies else float("nan")
    followed = sum(1 for order, _ in status_runs if order.params.get("after") == MIRROR)
    found = sum(1 for _, run in mirror_runs if run.counts.get("sales.changed"))
    print(f"virtual {minutes} min, {len(sim.completed_at)} sales completed, real {real_seconds:.0f} s")
    print(f"mirror polls {len(mirror_runs)} (every {statistics.mean(gaps):.1f} s on average), {len(empty)} empty, "
          f"{found} found changes; status-sync runs {len(status_runs)}: {followed} after a poll, "
          f"{len(status_runs) - followed} on the fallback interval")
    print(f"requests per empty poll: {per_empty:.2f} (minimum 1, ratio {per_empty:.2f}); "
          f"drips per empty poll {drips_empty:.2f}")
    print(f"bucket share at the registered cadence: {drips / hours:.0f} drips/h of {ONE_REGISTER_DRIPS_PER_HOUR:.0f} "
          f"(one register) = {share:.1%}; loading relations on every poll would be {loaded_share:.1%}")
    print(f"latency completion -> Miinto accept call: p50 {statistics.median(latencies):.1f} s, p95 {p95:.1f} s, "
          f"max {latencies[-1]:.1f} s over {len(latencies)}/{len(sim.completed_at)} sales (goal: p95 <= 30 s)")
    print(f"429s from Lightspeed: {sum(r['status'] == 429 for r in api)}; failed runs: "
          f"{sum(run.status == SyncRun.Status.FAILED for _, _, run in sim.runs)}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sales", type=int, default=60)
    parser.add_argument("--minutes", type=float, default=60)
    parser.add_argument("--seed", type=int, default=3)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    try:
        simulate(args.sales, args.minutes, args.seed)
    finally:
        transport_overrides.pop("lightspeed", None)
        transport_overrides.pop("miinto", None)


if __name__ == "__main__":
    main()
