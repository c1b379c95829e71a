"""Lightspeed sales -> Buckles orders, end to end against the Buckles sandbox (PROVISIONAL contract:
docs/buckles.md; every test here carries the `provisional` marker, see conftest)."""
import pytest
from django.core import mail

from channels.buckles.models import BucklesOrder, BucklesSettings
from connector.models import SyncEvent
from connector.runs import run_job
from lightspeed.models import ShipTo

pytestmark = pytest.mark.django_db
JOB = "buckles.orders_push"


def push(tenant, clock):
    run = run_job(tenant=tenant, job=JOB, clock=clock)
    assert run.status in ("succeeded", "partial"), run.error
    return run


def order(sandbox, sale_id):
    return sandbox.orders.get(("lightspeed", str(sale_id)))


def test_provisional_completed_sale_reaches_buckles_with_its_lines_and_money(buckles_tenant, buckles_sandbox, clock,
                                                                            mirror_sale, items, customer):
    mirror_sale(buckles_tenant, 501, lines=[(items[0], 2, "10.50"), (items[1], 1, "3.99")], customer=customer)
    run = push(buckles_tenant, clock)
    sent = order(buckles_sandbox, 501)
    assert sent["status"] == "completed" and sent["payment_status"] == "paid"
    assert sent["totals"]["total"] == "24.99" and sent["currency"] == "EUR"
    assert [line["quantity"] for line in sent["lines"]] == [2, 1] and sent["lines"][0]["unit_price"] == "10.50"
    assert sent["customer"]["external_id"] == str(customer.ls_id)
    assert run.counts["orders_sent"] == 1
    assert BucklesOrder.objects.for_tenant(buckles_tenant).get(sale_ls_id=501).status == "completed"


@pytest.mark.parametrize("kwargs,status", [
    ({"completed": False, "paid": "5.00"}, "pending_payment"),
    ({"ship_to": "pending"}, "processing"),
    ({"ship_to": "shipped"}, "completed"),
    ({"voided": True}, "cancelled"),
    ({"refund": True}, "refunded"),
])
def test_provisional_each_lightspeed_state_gets_its_default_buckles_status(buckles_tenant, buckles_sandbox, clock,
                                                                          mirror_sale, items, kwargs, status):
    mirror_sale(buckles_tenant, 600, lines=[(items[0], 1, "20.00")], **kwargs)
    push(buckles_tenant, clock)
    assert order(buckles_sandbox, 600)["status"] == status


def test_provisional_owner_table_overrides_a_default(buckles_tenant, buckles_sandbox, clock, mirror_sale, items):
    BucklesSettings.objects.for_tenant(buckles_tenant).update(status_map={"completed_not_shipped": "on_hold"})
    mirror_sale(buckles_tenant, 601, lines=[(items[0], 1, "20.00")], ship_to="pending")
    push(buckles_tenant, clock)
    assert order(buckles_sandbox, 601)["status"] == "on_hold"


def test_provisional_unmapped_state_is_logged_and_mailed_not_sent(buckles_tenant, buckles_sandbox, clock, mirror_sale,
                                                                 items, owner_of):
    owner_of(buckles_tenant)
    BucklesSettings.objects.for_tenant(buckles_tenant).update(status_map={"voided": ""})
    mirror_sale(buckles_tenant, 602, lines=[(items[0], 1, "20.00")], voided=True)
    run = push(buckles_tenant, clock)
    push(buckles_tenant, clock)
    assert order(buckles_sandbox, 602) is None
    assert run.counts["orders_unmapped"] == 1
    assert SyncEvent.objects.for_tenant(buckles_tenant).filter(run=run, object_id="602", level="warning").exists()
    assert len(mail.outbox) == 1 and "voided" in mail.outbox[0].subject  # once a day, not once a run
    assert "not sent" in BucklesOrder.objects.for_tenant(buckles_tenant).get(sale_ls_id=602).last_error


def test_provisional_sent_once_and_updated_when_the_sale_changes(buckles_tenant, buckles_sandbox, clock, mirror_sale,
                                                                items):
    sale = mirror_sale(buckles_tenant, 603, lines=[(items[0], 1, "20.00")], ship_to="pending")
    push(buckles_tenant, clock)
    push(buckles_tenant, clock)
    assert order(buckles_sandbox, 603)["version"] == 1  # unchanged: not sent again
    ShipTo.objects.for_tenant(buckles_tenant).filter(sale=sale).update(shipped=True)
    sale.save()  # the mirror sync rewrites the sale (synced_at moves)
    push(buckles_tenant, clock)
    sent = order(buckles_sandbox, 603)
    assert sent["version"] == 2 and sent["status"] == "completed"
    assert len(buckles_sandbox.orders) == 1


def test_provisional_other_shops_and_open_unpaid_sales_are_not_orders(buckles_tenant, buckles_sandbox, clock,
                                                                     mirror_sale, items):
    mirror_sale(buckles_tenant, 604, lines=[(items[0], 1, "20.00")], shop=2)
    mirror_sale(buckles_tenant, 605, lines=[(items[0], 1, "20.00")], completed=False, paid="0")
    push(buckles_tenant, clock)
    assert buckles_sandbox.orders == {}


@pytest.mark.parametrize("fault", ["drop_after_commit", "500", "timeout"])
def test_provisional_exactly_once_when_the_push_fails_midway(buckles_tenant, buckles_sandbox, clock, mirror_sale, items,
                                                             fault):
    mirror_sale(buckles_tenant, 606, lines=[(items[0], 1, "20.00")])
    buckles_sandbox.faults.inject(fault, method="PUT", path_contains="/orders/", times=1)
    push(buckles_tenant, clock)
    push(buckles_tenant, clock)
    assert len(buckles_sandbox.orders) == 1 and order(buckles_sandbox, 606)["status"] == "completed"
    row = BucklesOrder.objects.for_tenant(buckles_tenant).get(sale_ls_id=606)
    assert row.pushes == 1 and row.payload_hash


def test_provisional_a_run_failing_for_good_sends_the_order_on_the_next_run(buckles_tenant, buckles_sandbox, clock,
                                                                           mirror_sale, items):
    mirror_sale(buckles_tenant, 607, lines=[(items[0], 1, "20.00")])
    buckles_sandbox.faults.inject("503", method="PUT", path_contains="/orders/", times=10)
    run = run_job(tenant=buckles_tenant, job=JOB, clock=clock)
    assert run.status == "failed" and run.error_kind == "transient"
    assert order(buckles_sandbox, 607) is None
    buckles_sandbox.faults.clear()
    push(buckles_tenant, clock)
    assert order(buckles_sandbox, 607)["version"] == 1


def test_provisional_refused_order_is_logged_on_the_sale_and_the_rest_go_on(buckles_tenant, buckles_sandbox, clock,
                                                                           mirror_sale, items):
    mirror_sale(buckles_tenant, 608, lines=[(items[0], 1, "20.00")])
    mirror_sale(buckles_tenant, 609, lines=[(items[1], 1, "1.00")])
    buckles_sandbox.faults.inject("422", method="PUT", path_contains="/orders/lightspeed/608", times=1)
    run = push(buckles_tenant, clock)
    assert run.status == "partial" and order(buckles_sandbox, 609) is not None and order(buckles_sandbox, 608) is None
    assert "unknown sku" in BucklesOrder.objects.for_tenant(buckles_tenant).get(sale_ls_id=608).last_error
    push(buckles_tenant, clock)  # the failed one is picked up again
    assert order(buckles_sandbox, 608) is not None


def test_provisional_dry_run_sends_nothing(buckles_tenant, buckles_sandbox, clock, mirror_sale, items):
    mirror_sale(buckles_tenant, 611, lines=[(items[0], 1, "20.00")])
    run = run_job(tenant=buckles_tenant, job=JOB, clock=clock, dry_run=True)
    assert run.counts["orders_due"] == 1 and buckles_sandbox.orders == {}


def test_provisional_a_second_run_at_once_is_refused_by_the_run_lock(buckles_tenant, buckles_sandbox, clock,
                                                                    mirror_sale, items):
    from django.utils import timezone

    from connector.errors import RunLocked
    from connector.models import SyncRun

    mirror_sale(buckles_tenant, 620, lines=[(items[0], 1, "20.00")])
    SyncRun.objects.create(tenant=buckles_tenant, job=JOB, trigger="schedule", started_at=timezone.now(),
                           heartbeat_at=timezone.now())
    with pytest.raises(RunLocked):
        run_job(tenant=buckles_tenant, job=JOB, clock=clock)
    assert buckles_sandbox.orders == {}


@pytest.mark.django_db(transaction=True)
def test_provisional_a_sale_another_worker_is_pushing_is_skipped_not_sent_twice(buckles_tenant, buckles_sandbox,
                                                                               clock, mirror_sale, items):
    """Another connection holds the sale's row (as a concurrent push would): this run skips it; the next sends it."""
    import threading

    from django.db import connection, transaction

    mirror_sale(buckles_tenant, 621, lines=[(items[0], 1, "20.00")])
    BucklesOrder.objects.create(tenant=buckles_tenant, sale_ls_id=621)
    locked, release = threading.Event(), threading.Event()

    def hold():
        with transaction.atomic():
            BucklesOrder.objects.for_tenant(buckles_tenant).select_for_update().get(sale_ls_id=621)
            locked.set()
            release.wait(30)
        connection.close()

    worker = threading.Thread(target=hold)
    worker.start()
    assert locked.wait(30)
    try:
        run = push(buckles_tenant, clock)
        assert run.counts["orders_busy"] == 1 and buckles_sandbox.orders == {}
    finally:
        release.set()
        worker.join()
    push(buckles_tenant, clock)
    assert order(buckles_sandbox, 621)["version"] == 1


def test_provisional_orders_reach_buckles_within_30s_p95_over_a_virtual_hour(buckles_tenant, buckles_sandbox, clock,
                                                                             mirror_sale, items):
    """A sale completes every 6 s for an hour; the mirror writes what completed every 10 s (the mirror sync's poll,
    modelled); the push runs at its 10 s interval, off the mirror's beat. Latency: Buckles' clock minus completion."""
    from datetime import datetime, timezone

    from connector.registry import get_job

    push_every = int(get_job(JOB).interval.total_seconds())
    completed, waiting = {}, []
    for second in range(1, 3601):
        clock.advance(1)
        if second % 6 == 0:
            completed[second] = clock.time()
            waiting.append(second)
        if second % 10 == 0:
            for sale in waiting:
                when = datetime.fromtimestamp(completed[sale], tz=timezone.utc)
                mirror_sale(buckles_tenant, 10_000 + sale, lines=[(items[sale % 10], 1, "9.95")], when=when)
            waiting = []
        if second % push_every == 3:
            push(buckles_tenant, clock)
    latencies = sorted(order(buckles_sandbox, 10_000 + s)["timeline"][0]["at"] - at
                       for s, at in completed.items() if order(buckles_sandbox, 10_000 + s))
    assert len(latencies) >= len(completed) - 2  # the last ones may still wait for the mirror
    assert latencies[int(0.95 * (len(latencies) - 1))] <= 30
