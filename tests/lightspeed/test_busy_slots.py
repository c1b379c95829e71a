"""Four big first syncs on one Lightspeed bucket do not keep an order from a worker slot.

Virtual time, one worker slot serving every queue (the demo's solo worker, the worst case; in production
orders have their own worker). Each catalog sync waits on the shared, busy bucket; instead of sleeping in
its slot for minutes it yields, and is re-queued with the wait as its countdown. An order-queue run that
arrives meanwhile gets the slot within the latency goal (30 s), and every sync still completes.
"""
import pytest

from connector.models import SyncRun
from connector.runs import run_job_with_retry
from lightspeed.models import Item
from tests.connector import testjobs  # noqa: F401  registers test.order
from tests.lightspeed_sandbox import connect, sandbox_routed

ITEMS = 1500
LATENCY_GOAL = 30.0


@pytest.fixture
def sandbox(clock, settings, monkeypatch):
    import lightspeed.client

    monkeypatch.setattr(lightspeed.client, "system_clock", clock)  # the runs wait on virtual time
    yield from sandbox_routed(clock, settings, items=ITEMS, registers=1)  # bucket 90 drips, 1 drip/s


def test_an_order_gets_a_slot_within_the_goal_while_four_big_first_syncs_share_one_bucket(
        make_tenant, sandbox, clock, queued_runs, django_capture_on_commit_callbacks):
    syncing = [make_tenant(f"onboarding-{n}") for n in range(4)]
    for tenant in syncing:
        connect(tenant, sandbox, clock)
    shop = make_tenant("selling")
    start = clock.time()
    pending = [(start, n, t.pk, {"job": "lightspeed.catalog_sync"}) for n, t in enumerate(syncing)]
    pending.append((start + 2, 99, shop.pk, {"job": "test.order"}))
    statuses, order_wait, seq = [], None, 100
    while pending:
        pending.sort(key=lambda task: (task[0], task[1]))
        ready, _, tenant_id, kwargs = pending.pop(0)
        clock.advance(ready - clock.time())
        if kwargs["job"] == "test.order":
            order_wait = clock.time() - ready
        queued_runs.clear()
        with django_capture_on_commit_callbacks(execute=True):
            run = run_job_with_retry(tenant_id=tenant_id, **kwargs)
        statuses.append((kwargs["job"], run.status))
        for (queued_tenant, job), again, opts in queued_runs:
            seq += 1
            pending.append((clock.time() + (opts.get("countdown") or 0), seq, queued_tenant, {"job": job, **again}))
        assert seq < 400, "the syncs never finish"
    assert order_wait is not None and order_wait <= LATENCY_GOAL
    syncs = [status for job, status in statuses if job == "lightspeed.catalog_sync"]
    assert SyncRun.Status.YIELDED in syncs, "the bucket was never busy enough to yield: the test proves nothing"
    assert syncs.count(SyncRun.Status.SUCCEEDED) == 4
    for tenant in syncing:
        assert Item.objects.for_tenant(tenant).count() == ITEMS
