"""The acceptance fault matrix (issue 10 §1): under each fault every order ends with exactly one live
Lightspeed sale, or one plus an archived or flagged extra, never two live ones.

Every test runs without a test transaction: ledger steps are committed as in production, so a "killed"
worker leaves what a killed worker leaves. Time is the FakeClock; the settle window is 240 s
(2 × HTTP_DEADLINE_SECONDS of 120 s).
"""

import pytest

from connector import orders as ledger_services
from connector.models import OrderLedger, SyncEvent
from connector.orders import settle_window_seconds
from connector.runs import run_job
from lightspeed import order_import, order_lookup, order_sales

from . import order_feed
from tests.concurrency import runs_together

pytestmark = pytest.mark.django_db(transaction=True)
ORDERS = 3
LONG_HOLD, SHORT_HOLD = 600, 90  # beyond the settle window, and within it


def run(tenant, clock, job="test.feed_import"):
    return run_job(tenant=tenant, job=job, clock=clock)


def drive(tenant, clock, sandbox, *, rounds=25, step=30):
    """What production does over ~12 minutes: the import every `step` s, late requests landing, the
    reconcile job; then everything still held lands and the reconcile runs once more."""
    for _ in range(rounds):
        run(tenant, clock)
        clock.advance(step)
        run_job(tenant=tenant, job="lightspeed.orders_reconcile", clock=clock)
    sandbox.land_held(all_=True)
    run_job(tenant=tenant, job="lightspeed.orders_reconcile", clock=clock)


def sales_for(sandbox, reference):
    return [s for s in sandbox.state.sales.values() if s.reference_number == reference]


def assert_exactly_once(tenant, sandbox, references=None):
    references = references or [f"T-{raw['id']}" for raw in order_feed.FEED]
    for reference in references:
        sales = sales_for(sandbox, reference)
        live = [s for s in sales if not (s.voided or s.archived)]
        assert len(live) == 1 or (len(live) == 2 and any(s.completed for s in live)), (reference, sales)
        ledger = OrderLedger.objects.for_tenant(tenant).get(reference=reference)
        assert ledger.state == OrderLedger.State.SALE_CREATED, (ledger.state, ledger.last_error)
        assert ledger.sale_id in {str(s.sale_id) for s in live}
        if len(live) == 2:  # the extra is completed: flagged on the row, never silent
            assert "refund or void" in ledger.attention
            assert all(str(s.sale_id) in ledger.sale_ids for s in live)


@pytest.mark.parametrize("fault", ["drop_after_commit", "500", "503", "timeout", "hold"])  # hold: 300 s
def test_network_and_server_faults_on_the_sale_post(ls_tenant, ls_sandbox, feed, clock, fault):
    ls_sandbox.inject_fault(fault, method="POST", path_contains="/Sale.json", times=ORDERS)
    drive(ls_tenant, clock, ls_sandbox)
    assert_exactly_once(ls_tenant, ls_sandbox)
    assert sum(1 for r in ls_sandbox.request_log if r.get("fault") == fault) == ORDERS


@pytest.mark.parametrize("seconds", [SHORT_HOLD, LONG_HOLD])
def test_post_held_past_the_client_timeout_then_landing(ls_tenant, ls_sandbox, feed, clock, seconds):
    ls_sandbox.hold_fault(seconds, method="POST", path_contains="/Sale.json", times=ORDERS)
    drive(ls_tenant, clock, ls_sandbox)
    assert len(ls_sandbox.held.landed) == ORDERS  # every held POST did land and create its sale
    assert_exactly_once(ls_tenant, ls_sandbox)
    made = [len(sales_for(ls_sandbox, f"T-{raw['id']}")) for raw in feed]
    if seconds == SHORT_HOLD:  # landed inside the settle window: found, never posted again
        assert made == [1] * ORDERS
    else:  # landed after the retry had made a sale: the late one is archived (still open)
        assert made == [2] * ORDERS
        for raw in feed:
            ledger = OrderLedger.objects.for_tenant(ls_tenant).get(external_id=raw["id"])
            assert [e["action"] for e in ledger.details["extra_sales"]] == ["archived"]
            assert len(ledger.sale_ids) == 2


def test_no_post_inside_the_settle_window(ls_tenant, ls_sandbox, feed, clock):
    del feed[1:]
    ls_sandbox.inject_fault("timeout", method="POST", path_contains="/Sale.json")
    run(ls_tenant, clock)
    posts = lambda: [r for r in ls_sandbox.request_log if r["method"] == "POST" and "/Sale" in r["path"]]  # noqa: E731
    assert len(posts()) == 1
    for _ in range(3):
        clock.advance(settle_window_seconds() / 4)
        run(ls_tenant, clock)
    assert len(posts()) == 1  # three more runs inside the window: lookups only
    waits = SyncEvent.objects.for_tenant(ls_tenant).filter(object_id="700", message__contains="settle window")
    assert waits.count() == 1  # said once, not every run
    clock.advance(settle_window_seconds() / 4 + 1)
    run(ls_tenant, clock)
    assert len(posts()) == 2
    assert_exactly_once(ls_tenant, ls_sandbox)


def test_held_completed_sale_landing_late_is_flagged_not_silent(ls_tenant, ls_sandbox, feed, clock, items):
    del feed[1:]
    feed[0].update(completed=True, payments=[["130.41", "Cash"]])  # 100 + 2 × 15.2055 = 130.411 -> 130.41
    ls_sandbox.hold_fault(LONG_HOLD, method="POST", path_contains="/Sale.json")
    drive(ls_tenant, clock, ls_sandbox)
    assert_exactly_once(ls_tenant, ls_sandbox)
    sales = sales_for(ls_sandbox, "T-700")
    assert len(sales) == 2 and all(s.completed for s in sales)
    ledger = OrderLedger.objects.for_tenant(ls_tenant).get(external_id="700")
    assert [e["action"] for e in ledger.details["extra_sales"]] == ["flagged"]
    errors = SyncEvent.objects.for_tenant(ls_tenant).filter(object_id="700", level="error")
    assert any("second, completed Lightspeed sale" in e.message for e in errors)


KILL_POINTS = ["ledger_get_or_create", "ledger_reference_fix", "ledger_move", "ledger_sale_attempt",
               "ledger_sale_recorded", "ledger_details_update"]


@pytest.mark.parametrize("step", KILL_POINTS)
def test_worker_killed_after_each_ledger_step(ls_tenant, ls_sandbox, feed, clock, monkeypatch, step):
    real = getattr(ledger_services, step)
    killed = []

    def then_killed(*args, **kwargs):
        result = real(*args, **kwargs)
        if not killed:
            killed.append(step)
            raise RuntimeError(f"worker killed after {step}")
        return result

    for module in (ledger_services, order_sales, order_lookup, order_import):
        if hasattr(module, step):
            monkeypatch.setattr(module, step, then_killed)
    if step == "ledger_sale_recorded":  # also kill with the sale made and the answer lost
        ls_sandbox.inject_fault("drop_after_commit", method="POST", path_contains="/Sale.json")
    assert run(ls_tenant, clock).status in ("partial", "failed")
    assert killed == [step]
    drive(ls_tenant, clock, ls_sandbox)
    assert_exactly_once(ls_tenant, ls_sandbox)


def test_duplicate_delivery(ls_tenant, ls_sandbox, feed, clock):
    feed.extend([dict(raw) for raw in feed])  # every order twice in one listing
    run(ls_tenant, clock)
    run(ls_tenant, clock)
    assert_exactly_once(ls_tenant, ls_sandbox, [f"T-{n}" for n in range(700, 700 + ORDERS)])
    assert all(len(sales_for(ls_sandbox, f"T-{n}")) == 1 for n in range(700, 700 + ORDERS))
    assert len(ls_sandbox.state.customers) == 41  # one customer (same email) for all, found before any create


@pytest.mark.parametrize("jobs", [("test.feed_import", "test.feed_import"),
                                  ("test.feed_import", "test.feed_import_twin")])
def test_two_concurrent_runs(ls_tenant, ls_sandbox, feed, clock, jobs):
    outcomes = runs_together(ls_tenant, clock, jobs)
    assert len(outcomes) == 2 and "failed" not in outcomes, outcomes
    drive(ls_tenant, clock, ls_sandbox, rounds=1)
    assert_exactly_once(ls_tenant, ls_sandbox)
    assert all(len(sales_for(ls_sandbox, f"T-{raw['id']}")) == 1 for raw in feed)


def test_prefix_changed_mid_flight(ls_tenant, ls_sandbox, feed, clock):
    ls_sandbox.hold_fault(SHORT_HOLD, method="POST", path_contains="/Sale.json", times=ORDERS)
    run(ls_tenant, clock)  # every sale POST held: sale_pending with reference T-...
    order_feed.PREFIX[:] = ["NEW-"]
    drive(ls_tenant, clock, ls_sandbox)
    assert_exactly_once(ls_tenant, ls_sandbox)
    assert not any(s.reference_number.startswith("NEW-") for s in ls_sandbox.state.sales.values())


def test_nul_poisoned_order_is_a_failed_row_and_the_rest_import_in_the_same_run(ls_tenant, ls_sandbox, feed, clock,
                                                                                 items):
    feed.insert(1, {"id": "666", "email": "bad\x00@example.com", "lines": [[items[0], 1, "1.00"]]})
    feed.insert(2, {"id": "667", "email": "x@example.com", "lines": [[items[0], 1, float("nan")]]})
    result = run(ls_tenant, clock)
    assert result.status == "partial"
    for bad in ("666", "667"):
        ledger = OrderLedger.objects.for_tenant(ls_tenant).get(external_id=bad)
        assert ledger.state == OrderLedger.State.FAILED and "could not be stored as received" in ledger.last_error
        assert ledger.attention
    poisoned = OrderLedger.objects.for_tenant(ls_tenant).get(external_id="666")
    assert "NUL character" in poisoned.last_error and "\\u0000" in poisoned.payload["unstorable"]
    assert "impossible number" in OrderLedger.objects.for_tenant(ls_tenant).get(external_id="667").last_error
    del feed[1:3]
    assert_exactly_once(ls_tenant, ls_sandbox)  # the orders after it imported in that same run
