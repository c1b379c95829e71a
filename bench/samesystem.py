"""Benchmark: a year of sales for 3 shops (10k sales a month each) read from the Lightspeed sandbox, and the
CPU time to turn them into SameSystem's hourly figures.

    .venv/bin/python bench/samesystem.py [--months 12] [--per-month 10000] [--shops 3]

The sandbox (in-process httpx transport; its bucket grows with the registers) and the client share one FakeClock:
time moves only when the client waits for the bucket, so the virtual time is the bucket's cost alone and
the real time is the CPU of sandbox, client and parsing together. The channel itself reads the mirror, never
Lightspeed: what a historical import costs in Lightspeed requests is the mirror's read of those sales,
measured here as `Sale.json?completed=true&completeTime=><,…&load_relations=["SaleLines"]`, 100 per page.
Printed: requests and drips against the minimum the page size allows (ceil(sales/100) pages × (1 + 0.4
for SaleLines on a list)), virtual wall time against the bucket-limited minimum ((drips − bucket size) /
drip rate; 0 when everything fits in the empty bucket), real seconds, and the CPU seconds to
aggregate every sale into figures per shop × register × hour (figures.figures_by_hour, one call per shop
and day, on parsed sales).
Database: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/bench_samesystem); Redis db 4.
"""
import argparse
import math
import random
import resource
import time
from collections import defaultdict
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

from _setup import bench_setup, lightspeed_connect

BENCH_DB = bench_setup("bench_samesystem", redis_db=4)
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402

from channels.samesystem.figures import Line, SaleFacts, figures_by_hour  # noqa: E402
from connector.clock import FakeClock  # noqa: E402
from connector.http import transport_overrides  # noqa: E402
from lightspeed.client import lightspeed_client  # noqa: E402
from lightspeed.sandbox import LightspeedSandbox  # noqa: E402
from lightspeed.sandbox.ratelimit import bucket_size, drip_rate  # noqa: E402
from lightspeed.sandbox.records import Sale, SaleLine  # noqa: E402
from tenants.models import Tenant  # noqa: E402

BENCH_ACCOUNT = 525252
PAGE = 100
PAGE_COST = 1 + 0.4  # a list call + SaleLines (to-many, doubled on a list)
ZONE = ZoneInfo("Europe/Copenhagen")


def seed_sales(sandbox, *, shops, months, per_month, start):
    """Completed sales spread over the months, 1–3 lines, one in 20 a refund, one in 100 voided."""
    rng, state = random.Random(5), sandbox.state
    registers = defaultdict(list)
    for register in state.registers.values():
        registers[register.shop_id].append(register.register_id)
    sale_id, line_id, span = 10_000_000, 50_000_000, months * 30 * 86400
    for shop in range(1, shops + 1):
        for _ in range(months * per_month):
            sale_id += 1
            at = int(start.timestamp()) + rng.randrange(span)
            sale = Sale(sale_id, shop, rng.choice(registers[shop] or [1]), 1, 0, at, at, at, complete_time=at,
                        completed=True, voided=rng.random() < 0.01, tax1_rate=Decimal("0.25"))
            refund = rng.random() < 0.05
            for _ in range(rng.randint(1, 3)):
                line_id += 1
                quantity = -1 if refund else rng.randint(1, 3)
                price = Decimal(rng.randrange(500, 50000)) / 100
                discount = (price / 10).quantize(Decimal("0.01")) if not refund and rng.random() < 0.2 else Decimal(0)
                sale.lines.append(SaleLine(line_id, sale_id, 1, quantity, price, price, discount, True, shop, 1, 0,
                                           at, at, tax1_rate=Decimal("0.25")))
            state.sales[sale_id] = sale
            for line in sale.lines:
                state.sale_lines[line.sale_line_id] = line
    state.touch()
    return sale_id - 10_000_000


def buckets_reset(sandbox):
    """Both sides start empty: the limiter's Redis state of an earlier run (on its own clock) is dropped."""
    from lightspeed.ratelimit import _redis

    if settings.REDIS_URL:
        for key in _redis().scan_iter(f"lightspeed:bucket:{BENCH_ACCOUNT}:*"):
            _redis().delete(key)
    sandbox.reset_bucket()


def as_list(value):
    return value if isinstance(value, list) else [value] if value else []


def parsed(row):
    """One Sale.json row (all strings, a one-line list as a bare object) as SaleFacts, as the mirror keeps it."""
    lines = tuple(Line(quantity=int(line["unitQuantity"]), subtotal=Decimal(line["calcSubtotal"]),
                       discount=Decimal(line["calcLineDiscount"]), tax=Decimal(line["calcTax1"]),
                       total=Decimal(line["calcTotal"]))
                  for line in as_list((row.get("SaleLines") or {}).get("SaleLine")))
    complete = datetime.fromisoformat(row["completeTime"]) if row.get("completeTime") else None
    return int(row["shopID"]), SaleFacts(register_ls_id=int(row["registerID"]), complete_time=complete, lines=lines,
                                         completed=row.get("completed") in ("true", True),
                                         voided=row.get("voided") in ("true", True))


def read_year(tenant, sandbox, clock, start, end):
    sandbox.request_log.clear()
    client = lightspeed_client(tenant, clock=clock)
    params = {"completed": "true", "completeTime": f"><,{start.isoformat()},{end.isoformat()}",
              "load_relations": '["SaleLines"]', "sort": "completeTime"}
    virtual0, real0 = clock.time(), time.perf_counter()
    rows = [parsed(row) for row in client.iterate("Sale", params)]
    api = [r for r in sandbox.request_log if r["path"].startswith("/API/")]
    return rows, {"requests": len(api), "429s": sum(1 for r in api if r["status"] == 429),
                  "drips": sum(r["cost"] or 0 for r in api), "virtual": clock.time() - virtual0,
                  "real": time.perf_counter() - real0}


def aggregate(rows):
    by_shop_day = defaultdict(list)
    for shop, sale in rows:
        if sale.complete_time:
            by_shop_day[(shop, sale.complete_time.astimezone(ZONE).date())].append(sale)
    cpu0 = time.process_time()
    buckets = 0
    for (shop, day), sales in by_shop_day.items():
        buckets += len(figures_by_hour(sales, day=day, zone=ZONE, vat_included=True))
    return time.process_time() - cpu0, buckets, len(by_shop_day)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--per-month", type=int, default=10_000, help="sales a month per shop")
    parser.add_argument("--shops", type=int, default=3)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    clock = FakeClock(start=time.time())
    sandbox = LightspeedSandbox(items=50, shops=args.shops, registers=2 * args.shops, seed=3, clock=clock,
                                account_id=BENCH_ACCOUNT)
    start = datetime.combine(date.today() - timedelta(days=args.months * 30 + 1), datetime.min.time(),
                             tzinfo=timezone.utc)
    seeded = seed_sales(sandbox, shops=args.shops, months=args.months, per_month=args.per_month, start=start)
    transport_overrides["lightspeed"] = sandbox.transport()
    settings.LIGHTSPEED_CLIENT_ID, settings.LIGHTSPEED_CLIENT_SECRET = sandbox.client_id, sandbox.client_secret
    Tenant.objects.filter(slug="bench-samesystem").delete()
    tenant = Tenant.objects.create(slug="bench-samesystem", name="Bench SameSystem")
    try:
        lightspeed_connect(tenant, sandbox, clock)
        buckets_reset(sandbox)
        rows, read = read_year(tenant, sandbox, clock, start, start + timedelta(days=args.months * 30 + 1))
        cpu, buckets, days = aggregate(rows)
    finally:
        Tenant.objects.filter(pk=tenant.pk).delete()
        transport_overrides.pop("lightspeed", None)
    pages = math.ceil(seeded / PAGE)
    minimum = pages * PAGE_COST
    registers = len(sandbox.state.registers)
    size, drip = bucket_size(registers), drip_rate(registers)
    min_time = max(0.0, (minimum - size) / drip)
    print(f"\n=== {seeded:,} sales: {args.shops} shops × {args.months} months × {args.per_month:,} "
          "===")
    print(f"read      rows {len(rows):,}  requests {read['requests']:,} (minimum {pages:,} pages, ratio "
          f"{read['requests'] / pages:.3f})  429s {read['429s']}  drips {read['drips']:,.1f} (minimum {minimum:,.1f}, "
          f"ratio {read['drips'] / minimum:.3f})")
    ratio = (f"{read['virtual'] / min_time:.3f}" if min_time
             else f"n/a (fits in the empty bucket; {read['virtual']:.0f}s waited)")
    print(f"          wall {read['virtual']:,.0f}s virtual ({read['real']:.1f}s real)  bucket-limited minimum "
          f"{min_time:,.0f}s (bucket {size} drips, {drip} drips/s)  ratio {ratio}")
    print(f"aggregate {cpu:.2f}s CPU for {len(rows):,} sales into {buckets:,} register-hours over {days:,} shop-days "
          f"({len(rows) / cpu if cpu else 0:,.0f} sales/s)")
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB (sandbox included)")


if __name__ == "__main__":
    main()
