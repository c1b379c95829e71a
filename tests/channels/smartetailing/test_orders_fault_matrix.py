"""The platform's fault matrix (tests/connector/test_order_fault_matrix.py) for SmartEtailing orders (issue 11):
under each fault every web order ends with exactly one live, completed Lightspeed sale (or one plus a flagged
extra, never silent), its ledger row `accepted`, and UpdateOrder sent to SmartEtailing, never before the sale
existed (a confirmed order is no longer listed, so an early confirmation would lose it).

Every test runs without a test transaction: ledger steps are committed as in production, so a "killed" worker
leaves what a killed worker leaves. Time is the FakeClock; the settle window is 240 s (2 × 120 s deadline).
Already covered in test_orders_import.py: a lost UpdateOrder answer (same run, next run), an order listed again
after its sale, a refused order.
"""
import threading
from datetime import timedelta

import pytest
from django.db import connection as db_connection

from channels.smartetailing import orders as se_orders
from channels.smartetailing.client import OrderServiceClient
from channels.smartetailing.models import SmartEtailingSettings
from connector import orders as ledger_services
from connector.models import OrderLedger
from connector.registry import register_job
from connector.runs import run_job
from lightspeed import order_lookup, order_sales
from lightspeed.models import Item
from tests.concurrency import runs_together

from .test_orders_import import book, ledger, messages_of, sales_with

pytestmark = pytest.mark.django_db(transaction=True)
JOB, TWIN = "smartetailing.orders_import", "test.smartetailing_import_twin"
ORDERS = 3
LONG_HOLD, SHORT_HOLD = 600, 90  # beyond the settle window, and within it
ACCEPTED = OrderLedger.State.ACCEPTED


@register_job(TWIN, interval=timedelta(minutes=1))
def import_twin(ctx):
    """The import under another job name: no run lock between it and smartetailing.orders_import."""
    se_orders.orders_import(ctx=ctx)


# -- helpers ----------------------------------------------------------------------------------------------

@pytest.fixture(autouse=True)
def deadlines(settings):
    settings.HTTP_DEADLINE_SECONDS, settings.HTTP_TIMEOUT_SECONDS = 120.0, 30.0


@pytest.fixture
def web_orders(se_tenant, se_sandbox):
    """Three paid web orders of two lines each, every line matching a Lightspeed item by UPC."""
    book(se_tenant)
    upcs = list(Item.objects.for_tenant(se_tenant).filter(archived=False).exclude(upc="").order_by("ls_id")
                .values_list("upc", flat=True)[:ORDERS + 1])
    return [se_sandbox.add_order(items=[{"gtin1": upcs[n], "unit_price": "20.00"},
                                        {"gtin1": upcs[n + 1], "quantity": 2, "unit_price": "7.50"}], shipping="4.95")
            for n in range(ORDERS)]


@pytest.fixture
def confirms(se_sandbox, ls_sandbox, monkeypatch):
    """Every UpdateOrder SmartEtailing carried out: (order id, live sales with its reference at that moment)."""
    log = []
    real = se_sandbox.order_confirm

    def confirm(order_id):
        log.append((order_id, len(live(sales_with(ls_sandbox, order_id)))))
        real(order_id)

    monkeypatch.setattr(se_sandbox, "order_confirm", confirm)
    return log


def run(tenant, clock, job=JOB):
    return run_job(tenant=tenant, job=job, clock=clock)


def drive(tenant, clock, ls_sandbox, *, rounds=25, step=30):
    """What production does over ~12 minutes: the import every `step` s, late requests landing, the
    reconcile job; then everything still held lands, the reconcile and the import run once more."""
    for _ in range(rounds):
        run(tenant, clock)
        clock.advance(step)
        run_job(tenant=tenant, job="lightspeed.orders_reconcile", clock=clock)
    ls_sandbox.land_held(all_=True)
    run_job(tenant=tenant, job="lightspeed.orders_reconcile", clock=clock)
    run(tenant, clock)


def live(sales):
    return [s for s in sales if not (s.voided or s.archived)]


def assert_exactly_once(tenant, ls_sandbox, se_sandbox, confirms, order_ids):
    for order_id in order_ids:
        sales = live(sales_with(ls_sandbox, order_id))
        assert sales and all(s.completed for s in sales), (order_id, sales)
        row = ledger(tenant, order_id)
        assert len(sales) == 1 or (len(sales) == 2 and "refund or void" in row.attention), (order_id, sales)
        assert row.state == ACCEPTED and row.details.get("confirmed"), (row.state, row.last_error)
        assert row.sale_id in {str(s.sale_id) for s in sales}
        assert {str(s.sale_id) for s in sales} <= set(row.sale_ids)  # an extra is ours and on the row
        assert se_sandbox.orders[order_id]["confirmed"]
        assert any(confirmed == order_id for confirmed, _ in confirms), f"no UpdateOrder for {order_id}"
    unsold = [order_id for order_id, sale_count in confirms if sale_count == 0]
    assert not unsold, f"confirmed before its Lightspeed sale existed: {unsold}"


# -- 1. faults on Lightspeed's sale creation -------------------------------------------------------------------

@pytest.mark.parametrize("fault", ["drop_after_commit", "500", "503", "timeout", "hold"])  # hold: 300 s
def test_network_and_server_faults_on_the_sale_post(se_tenant, se_sandbox, ls_sandbox, web_orders, confirms, clock,
                                                    fault):
    ls_sandbox.inject_fault(fault, method="POST", path_contains="/Sale.json", times=ORDERS)
    drive(se_tenant, clock, ls_sandbox)
    assert_exactly_once(se_tenant, ls_sandbox, se_sandbox, confirms, web_orders)
    assert sum(1 for r in ls_sandbox.request_log if r.get("fault") == fault) == ORDERS


@pytest.mark.parametrize("seconds", [SHORT_HOLD, LONG_HOLD])
def test_sale_post_held_past_the_client_timeout_then_landing(se_tenant, se_sandbox, ls_sandbox, web_orders, confirms,
                                                             clock, seconds):
    ls_sandbox.hold_fault(seconds, method="POST", path_contains="/Sale.json", times=ORDERS)
    drive(se_tenant, clock, ls_sandbox)
    assert len(ls_sandbox.held.landed) == ORDERS  # every held POST did land and create its sale
    assert_exactly_once(se_tenant, ls_sandbox, se_sandbox, confirms, web_orders)
    made = [len(sales_with(ls_sandbox, order_id)) for order_id in web_orders]
    if seconds == SHORT_HOLD:  # landed inside the settle window: found, never posted again
        assert made == [1] * ORDERS
        return
    assert made == [2] * ORDERS  # landed after the retry's sale: completed too, so flagged (cannot be archived)
    for order_id in web_orders:
        row = ledger(se_tenant, order_id)
        assert [e["action"] for e in row.details["extra_sales"]] == ["flagged"]
        assert len(row.sale_ids) == 2


def test_listed_again_inside_the_settle_window_is_looked_up_not_posted(se_tenant, se_sandbox, ls_sandbox, web_orders,
                                                                      confirms, clock):
    ls_sandbox.inject_fault("timeout", method="POST", path_contains="/Sale.json", times=ORDERS)
    posts = lambda: [r for r in ls_sandbox.request_log if r["method"] == "POST" and "/Sale" in r["path"]]  # noqa: E731
    run(se_tenant, clock)
    for _ in range(3):
        clock.advance(ledger_services.settle_window_seconds() / 4)
        assert run(se_tenant, clock).counts["sales_settling"] == ORDERS  # still listed: lookups only
    assert len(posts()) == ORDERS and not confirms
    clock.advance(ledger_services.settle_window_seconds() / 4 + 1)
    run(se_tenant, clock)
    assert len(posts()) == 2 * ORDERS
    assert_exactly_once(se_tenant, ls_sandbox, se_sandbox, confirms, web_orders)


# -- 2. a killed worker after each ledger step ----------------------------------------------------------------

KILL_POINTS = ["ledger_get_or_create", "ledger_reference_fix", "ledger_move", "ledger_sale_attempt",
               "ledger_sale_recorded", "ledger_details_update", "update_order"]  # update_order: answered, not moved


def kill_once_after(monkeypatch, step):
    """The worker dies right after `step` returned (what it wrote is committed), once; the steps that were run."""
    killed = []

    def killing(real):
        def then_killed(*args, **kwargs):
            result = real(*args, **kwargs)
            if not killed:
                killed.append(step)
                raise RuntimeError(f"worker killed after {step}")
            return result
        return then_killed

    if step == "update_order":
        monkeypatch.setattr(OrderServiceClient, step, killing(OrderServiceClient.update_order))
        return killed
    wrapped = killing(getattr(ledger_services, step))
    for module in (ledger_services, order_sales, order_lookup, se_orders):
        if hasattr(module, step):
            monkeypatch.setattr(module, step, wrapped)
    return killed


@pytest.mark.parametrize("step", KILL_POINTS)
def test_worker_killed_after_each_ledger_step(se_tenant, se_sandbox, ls_sandbox, web_orders, confirms, clock,
                                              monkeypatch, step):
    killed = kill_once_after(monkeypatch, step)
    if step == "ledger_sale_recorded":  # also killed with the sale made and its answer lost
        ls_sandbox.inject_fault("drop_after_commit", method="POST", path_contains="/Sale.json")
    assert run(se_tenant, clock).status in ("partial", "failed")
    assert killed == [step]
    drive(se_tenant, clock, ls_sandbox)
    assert_exactly_once(se_tenant, ls_sandbox, se_sandbox, confirms, web_orders)
    assert all(len(sales_with(ls_sandbox, order_id)) == 1 for order_id in web_orders)


# -- 3. the same order delivered twice ----------------------------------------------------------------------

def test_the_same_order_id_twice_in_one_listing(se_tenant, se_sandbox, ls_sandbox, web_orders, confirms, clock,
                                                monkeypatch):
    customers = len(ls_sandbox.state.customers)
    real_open = se_sandbox.orders_open
    monkeypatch.setattr(se_sandbox, "orders_open", lambda: real_open() * 2)  # every open order listed twice
    first = run(se_tenant, clock)
    assert first.status == "succeeded", first.error
    assert first.counts["sales_created"] == ORDERS and first.counts["already_confirmed"] == ORDERS
    run(se_tenant, clock)
    assert_exactly_once(se_tenant, ls_sandbox, se_sandbox, confirms, web_orders)
    assert all(len(sales_with(ls_sandbox, order_id)) == 1 for order_id in web_orders)
    emails = {se_sandbox.orders[order_id]["bill_to"]["email"] for order_id in web_orders}
    assert len(ls_sandbox.state.customers) == customers + len(emails)  # found before any second create


def test_listed_by_a_second_poll_before_the_first_confirmed(se_tenant, se_sandbox, ls_sandbox, web_orders, confirms,
                                                            clock, monkeypatch):
    """A second run polls while the first is about to send its first UpdateOrder: every order is still listed,
    the first one with its sale made. The second run only confirms that one and exports the others."""
    real_update = OrderServiceClient.update_order
    second = []

    def second_poll_first(service, order_id):
        if not second:
            thread = threading.Thread(target=lambda: (second.append(run(se_tenant, clock, TWIN)),
                                                      db_connection.close()))
            thread.start()
            thread.join(timeout=120)
        return real_update(service, order_id)

    monkeypatch.setattr(OrderServiceClient, "update_order", second_poll_first)
    first = run(se_tenant, clock)
    assert first.status == second[0].status == "succeeded", (first.error, second[0].error)
    assert second[0].counts["orders_listed"] == ORDERS and second[0].counts["confirmed"] == ORDERS
    assert second[0].counts["sales_created"] == ORDERS - 1
    assert first.counts["sales_created"] == 1 and first.counts["already_confirmed"] == ORDERS - 1
    assert_exactly_once(se_tenant, ls_sandbox, se_sandbox, confirms, web_orders)
    assert all(len(sales_with(ls_sandbox, order_id)) == 1 for order_id in web_orders)


# -- 4. two runs at once --------------------------------------------------------------------------------------

@pytest.mark.parametrize("jobs", [(JOB, JOB), (JOB, TWIN)])
def test_two_concurrent_runs(se_tenant, se_sandbox, ls_sandbox, web_orders, confirms, clock, jobs):
    outcomes = runs_together(se_tenant, clock, jobs)
    assert len(outcomes) == 2 and "failed" not in outcomes, outcomes
    run(se_tenant, clock)  # an order skipped as busy elsewhere is exported now
    assert_exactly_once(se_tenant, ls_sandbox, se_sandbox, confirms, web_orders)
    assert all(len(sales_with(ls_sandbox, order_id)) == 1 for order_id in web_orders)


def test_a_run_that_read_the_row_before_another_run_exported_the_order(se_tenant, se_sandbox, ls_sandbox, web_orders,
                                                                       confirms, clock, monkeypatch):
    """The twin lists the orders and reads the first one's ledger row; the scheduled run then exports and confirms
    them all; only then does the twin go on with the row it read (stale by now)."""
    real_export = se_orders.order_export
    row_read, go_on = threading.Event(), threading.Event()

    def export(ctx, *args):
        if ctx.run.job == TWIN and not row_read.is_set():
            row_read.set()
            go_on.wait(timeout=120)
        return real_export(ctx, *args)

    monkeypatch.setattr(se_orders, "order_export", export)
    twin = []
    thread = threading.Thread(target=lambda: (twin.append(run(se_tenant, clock, TWIN)), db_connection.close()))
    thread.start()
    assert row_read.wait(timeout=120)
    assert run(se_tenant, clock).status == "succeeded"
    go_on.set()
    thread.join(timeout=120)
    assert twin[0].status == "succeeded", twin[0].error
    assert_exactly_once(se_tenant, ls_sandbox, se_sandbox, confirms, web_orders)
    assert all(len(sales_with(ls_sandbox, order_id)) == 1 for order_id in web_orders)


# -- 5. faults on SmartEtailing's order service --------------------------------------------------------------

@pytest.mark.parametrize("fault", ["500", "503", "timeout"])
@pytest.mark.parametrize("times", [1, 4])  # 1: retried within the call; 4: every attempt of the call fails
def test_faults_on_the_orders_listing(se_tenant, se_sandbox, ls_sandbox, web_orders, confirms, clock, fault, times):
    se_sandbox.inject_fault(fault, path_contains="feeds.cfc", times=times)
    first = run(se_tenant, clock)
    if times == 1:
        assert first.status == "succeeded", first.error
    else:
        assert first.status == "failed" and first.error_kind == "transient", first.error
        assert not confirms and not any(sales_with(ls_sandbox, order_id) for order_id in web_orders)
        assert not OrderLedger.objects.for_tenant(se_tenant).exists()  # nothing read, nothing half-done
        assert all(not se_sandbox.orders[order_id]["confirmed"] for order_id in web_orders)  # still listed
        assert run(se_tenant, clock).status == "succeeded"
    assert faults_hit(se_sandbox, fault) == times
    assert_exactly_once(se_tenant, ls_sandbox, se_sandbox, confirms, web_orders)
    assert all(len(sales_with(ls_sandbox, order_id)) == 1 for order_id in web_orders)


def faults_hit(se_sandbox, fault):
    return sum(1 for r in se_sandbox.request_log if r.get("fault") == fault or str(r["status"]) == fault)


def faults_once_listed(monkeypatch, se_sandbox, fault, times):
    """Arm `fault` on feeds.cfc right after the Orders listing came in (UpdateOrder and UpdateStatus share its path)."""
    real_orders = OrderServiceClient.orders
    armed = []

    def orders_then_fault(service):
        listing = real_orders(service)
        if not armed:
            armed.append(fault)
            se_sandbox.inject_fault(fault, path_contains="feeds.cfc", times=times)
        return listing

    monkeypatch.setattr(OrderServiceClient, "orders", orders_then_fault)


@pytest.mark.parametrize("fault", ["500", "503", "timeout", "drop_after_commit"])
@pytest.mark.parametrize("times", [1, 4])
def test_faults_on_update_order(se_tenant, se_sandbox, ls_sandbox, web_orders, confirms, clock, monkeypatch, fault,
                                times):
    faults_once_listed(monkeypatch, se_sandbox, fault, times)
    first = run(se_tenant, clock)
    assert first.status == "succeeded", first.error  # a confirmation SmartEtailing did not answer stops nothing
    assert all(len(sales_with(ls_sandbox, order_id)) == 1 for order_id in web_orders)
    if times == 4:  # the first order's UpdateOrder gave up: confirmed next run; the others went on
        assert first.counts["confirm_pending"] == 1 and first.counts["confirmed"] == ORDERS - 1
        assert ledger(se_tenant, web_orders[0]).state == OrderLedger.State.SALE_CREATED
        assert run(se_tenant, clock).counts["confirmed"] == 1
    assert_exactly_once(se_tenant, ls_sandbox, se_sandbox, confirms, web_orders)
    assert all(len(sales_with(ls_sandbox, order_id)) == 1 for order_id in web_orders)


@pytest.mark.parametrize("fault", ["500", "503", "timeout"])
def test_update_status_unanswered_confirms_again_next_run(se_tenant, se_sandbox, ls_sandbox, web_orders, confirms,
                                                          clock, monkeypatch, fault):
    SmartEtailingSettings.objects.for_tenant(se_tenant).update(status_after_export="Shipped")
    real_update = OrderServiceClient.update_order

    def update_then_fault(service, order_id):  # the first UpdateOrder goes through; every UpdateStatus try fails
        real_update(service, order_id)
        if len(confirms) == 1:
            se_sandbox.inject_fault(fault, path_contains="feeds.cfc", times=4)

    monkeypatch.setattr(OrderServiceClient, "update_order", update_then_fault)
    first = run(se_tenant, clock)
    assert first.status == "succeeded", first.error  # an unanswered status stops nothing: the others went on
    assert ledger(se_tenant, web_orders[0]).state == OrderLedger.State.SALE_CREATED  # status not set: not done
    assert [len(sales_with(ls_sandbox, o)) for o in web_orders] == [1, 1, 1]
    assert "sent again next run" in " ".join(messages_of(se_tenant, web_orders[0]))
    assert run(se_tenant, clock).status == "succeeded"  # the first confirmed again (not listed), its status set
    assert_exactly_once(se_tenant, ls_sandbox, se_sandbox, confirms, web_orders)
    assert all(len(sales_with(ls_sandbox, order_id)) == 1 for order_id in web_orders)
    assert all(se_sandbox.orders[order_id]["status"] == "Shipped" for order_id in web_orders)
