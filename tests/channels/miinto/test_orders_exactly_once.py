"""Exactly once: lost answers, errors, timeouts, crashes, concurrent runs and second deliveries never make a
second sale or customer."""
from datetime import timedelta

import psycopg
import pytest
from django.db import connection

from channels.miinto import orders
from channels.miinto.client import MiintoClient
from connector import orders as ledger_module
from connector.errors import RunLocked
from connector.models import OrderLedger
from connector.registry import register_job
from connector.runs import run_job
from connector.services import order_retry
from lightspeed import order_sales

from .test_orders_e2e import add_order, ledger_of, messages_of, run, sales_with
from tests.concurrency import runs_together


def test_dropped_then_500_then_timeout_still_one_sale(miinto_tenant, miinto_sandbox, ls_sandbox, eans, clock):
    transfer_id = add_order(miinto_sandbox, eans[:2])
    ls_sandbox.inject_fault("drop_after_commit", method="POST", path_contains="/Sale.json")
    ls_sandbox.inject_fault("500", method="GET", path_contains="/Sale.json")
    ls_sandbox.inject_fault("timeout", method="GET", path_contains="/Sale.json")
    result = run(miinto_tenant, "orders_import", clock)
    assert result.status == "succeeded", result.error
    assert len(sales_with(ls_sandbox, f"MIINTO-{transfer_id}")) == 1
    faults = [r.get("fault") for r in ls_sandbox.request_log if r.get("fault")]
    assert len(faults) == 3  # every fault was hit
    assert ledger_of(miinto_tenant, transfer_id).state == OrderLedger.State.SALE_CREATED


@pytest.mark.django_db(transaction=True)  # no test transaction: ledger states persist as in production
def test_lost_sale_answer_and_failing_lookups_resume_next_run(miinto_tenant, miinto_sandbox, ls_sandbox, eans,
                                                               clock, monkeypatch):
    transfer_id = add_order(miinto_sandbox, eans[:1], quantities=(1,), prices=(100,))
    real_create = order_sales.ls.sale_create

    def create_then_lose_everything(client, body):
        ls_sandbox.inject_fault("drop_after_commit", method="POST", path_contains="/Sale.json")
        ls_sandbox.inject_fault("503", method="GET", path_contains="/Sale.json", times=4)  # every retry of the lookup
        return real_create(client, body)

    monkeypatch.setattr(order_sales.ls, "sale_create", create_then_lose_everything)
    first = run(miinto_tenant, "orders_import", clock)
    assert first.error_kind == "transient"  # the run is queued again with backoff
    assert ledger_of(miinto_tenant, transfer_id).state == OrderLedger.State.SALE_PENDING
    monkeypatch.setattr(order_sales.ls, "sale_create", real_create)
    run(miinto_tenant, "orders_import", clock)  # the retry looks the sale up before writing
    assert len(sales_with(ls_sandbox, f"MIINTO-{transfer_id}")) == 1
    assert ledger_of(miinto_tenant, transfer_id).state == OrderLedger.State.SALE_CREATED


@pytest.mark.django_db(transaction=True)  # a killed worker's committed ledger steps persist, as in production
def test_crash_after_the_sale_is_written_resumes_without_a_second(miinto_tenant, miinto_sandbox, ls_sandbox, eans,
                                                                  clock, monkeypatch):
    transfer_id = add_order(miinto_sandbox, eans[:2])
    customers = len(ls_sandbox.state.customers)
    real_move = ledger_module.ledger_move

    def crash_before_recording_the_sale(ledger, state, **kwargs):
        if state == OrderLedger.State.SALE_CREATED:
            raise RuntimeError("worker killed")
        return real_move(ledger, state, **kwargs)

    monkeypatch.setattr(ledger_module, "ledger_move", crash_before_recording_the_sale)
    assert run(miinto_tenant, "orders_import", clock).status == "partial"
    monkeypatch.setattr(ledger_module, "ledger_move", real_move)
    run(miinto_tenant, "orders_import", clock)
    assert len(sales_with(ls_sandbox, f"MIINTO-{transfer_id}")) == 1
    assert len(ls_sandbox.state.customers) == customers + 1
    assert any("found (created by an earlier attempt)" in m for m in messages_of(miinto_tenant, transfer_id))


def test_two_import_runs_at_once_make_one_sale(miinto_tenant, miinto_sandbox, ls_sandbox, eans, clock, monkeypatch):
    transfer_id = add_order(miinto_sandbox, eans[:1], quantities=(1,), prices=(100,))
    real_create = order_sales.ls.sale_create
    second_run = []

    def create_while_another_run_starts(client, body):
        try:  # a second run starting while the first is writing the sale
            second_run.append(run(miinto_tenant, "orders_import", clock))
        except RunLocked as exc:
            second_run.append(exc)
        return real_create(client, body)

    monkeypatch.setattr(order_sales.ls, "sale_create", create_while_another_run_starts)
    run(miinto_tenant, "orders_import", clock)
    assert isinstance(second_run[0], RunLocked)
    assert len(sales_with(ls_sandbox, f"MIINTO-{transfer_id}")) == 1


def test_order_claimed_elsewhere_is_skipped_then_imported_once(miinto_tenant, miinto_sandbox, ls_sandbox, eans, clock):
    """A retry from the owner's page and the scheduled run racing on one order: the per-order claim decides."""
    transfer_id = add_order(miinto_sandbox, eans[:1], quantities=(1,), prices=(100,))
    ledger, _ = ledger_module.ledger_get_or_create(tenant=miinto_tenant, channel="miinto", external_id=transfer_id,
                                                   payload={}, details={"shop_id": miinto_sandbox.shop_ids[0]})
    settings = connection.settings_dict
    with psycopg.connect(dbname=settings["NAME"], user=settings["USER"], host=settings["HOST"],
                         port=settings["PORT"] or 5432, autocommit=True) as other:
        other.execute("SELECT pg_advisory_lock(%s, %s)", [ledger_module._lock_key("miinto"), ledger.pk])
        run(miinto_tenant, "orders_import", clock)
        assert sales_with(ls_sandbox, f"MIINTO-{transfer_id}") == []
        assert any("another run is importing" in m for m in messages_of(miinto_tenant, transfer_id))
    run(miinto_tenant, "orders_import", clock)
    assert len(sales_with(ls_sandbox, f"MIINTO-{transfer_id}")) == 1


def test_same_transfer_delivered_twice_makes_one_sale(miinto_tenant, miinto_sandbox, ls_sandbox, eans, clock,
                                                      monkeypatch):
    transfer_id = add_order(miinto_sandbox, eans[:2])
    customers = len(ls_sandbox.state.customers)
    real_list = MiintoClient.transfers_pending
    monkeypatch.setattr(MiintoClient, "transfers_pending", lambda self, shop: real_list(self, shop) * 2)
    run(miinto_tenant, "orders_import", clock)
    run(miinto_tenant, "orders_import", clock)
    assert len(sales_with(ls_sandbox, f"MIINTO-{transfer_id}")) == 1
    assert len(ls_sandbox.state.customers) == customers + 1


def test_retry_this_order_after_a_refused_sale(miinto_tenant, miinto_sandbox, ls_sandbox, eans, clock, queued_runs,
                                               django_capture_on_commit_callbacks):
    transfer_id = add_order(miinto_sandbox, eans[:1], quantities=(1,), prices=(100,))
    item_id = next(i.item_id for i in ls_sandbox.state.items.values() if i.ean == eans[0])
    item = ls_sandbox.state.items.pop(item_id)  # Lightspeed refuses the sale: the item is gone
    assert run(miinto_tenant, "orders_import", clock).status == "partial"
    ledger = ledger_of(miinto_tenant, transfer_id)
    assert ledger.state == OrderLedger.State.FAILED and "does not exist" in ledger.last_error
    run(miinto_tenant, "orders_import", clock)  # a failed order waits for a person
    assert sales_with(ls_sandbox, f"MIINTO-{transfer_id}") == []
    ls_sandbox.state.items[item_id] = item
    with django_capture_on_commit_callbacks(execute=True):
        assert order_retry(order=ledger) == "miinto.orders_import"  # the owner's "retry this order" path
    assert ledger_of(miinto_tenant, transfer_id).state == OrderLedger.State.SALE_PENDING
    assert queued_runs[-1][1]["params"] == {"transfer_id": str(transfer_id)}
    run(miinto_tenant, "orders_import", clock, transfer_id=transfer_id)  # what the queued retry run does
    assert len(sales_with(ls_sandbox, f"MIINTO-{transfer_id}")) == 1
    assert ledger_of(miinto_tenant, transfer_id).state == OrderLedger.State.SALE_CREATED


@pytest.mark.parametrize("job", ["orders_import", "status_sync"])
def test_dry_run_writes_nothing(miinto_tenant, miinto_sandbox, ls_sandbox, eans, clock, job):
    transfer_id = add_order(miinto_sandbox, eans[:1], quantities=(1,), prices=(100,))
    run_job(tenant=miinto_tenant, job=f"miinto.{job}", clock=clock, dry_run=True)
    assert sales_with(ls_sandbox, f"MIINTO-{transfer_id}") == [] and miinto_sandbox.actions == []
    assert not OrderLedger.objects.for_tenant(miinto_tenant).exists()


@register_job("test.miinto_import_twin", interval=timedelta(minutes=1))
def import_twin(ctx):
    """The import under another job name: no run lock between it and miinto.orders_import."""
    orders.orders_import(ctx=ctx)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("jobs", [("miinto.orders_import", "miinto.orders_import"),
                                  ("miinto.orders_import", "test.miinto_import_twin")])
def test_two_imports_in_parallel_threads_make_one_sale(miinto_tenant, miinto_sandbox, ls_sandbox, eans, clock, jobs):
    transfer_ids = [add_order(miinto_sandbox, eans[n:n + 1], quantities=(1,), prices=(100,)) for n in range(4)]
    customers = len(ls_sandbox.state.customers)
    outcomes = runs_together(miinto_tenant, clock, jobs)
    assert len(outcomes) == 2 and "failed" not in outcomes, outcomes
    for transfer_id in transfer_ids:
        assert len(sales_with(ls_sandbox, f"MIINTO-{transfer_id}")) == 1
    assert len(ls_sandbox.state.customers) == customers + 1  # one customer (same email) for all four
