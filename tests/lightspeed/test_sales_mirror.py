"""lightspeed.sales_sync against the sandbox: what lands in the mirror, what it costs, and who runs after it."""
from datetime import timedelta
from decimal import Decimal
from urllib.parse import unquote

import pytest

from connector.models import Schedule, SyncCursor, SyncEvent
from connector import registry
from connector.registry import register_job
from connector.runs import run_job
from connector.schedules import schedule_enable
from lightspeed.client import lightspeed_client
from lightspeed.models import Customer, Sale, SaleLine, SalePayment, ShipTo
from lightspeed.sales_mirror import CURSOR, OVERLAP

from .conftest import api_requests

JOB = "lightspeed.sales_sync"
SHIP = {"firstName": "Ida", "lastName": "Holm", "company": "Holm ApS", "shipNote": "GLS-1234", "shipped": False,
        "Contact": {"Addresses": {"ContactAddress": {"address1": "Nørregade 7", "city": "Odense", "zip": "5000",
                                                     "country": "Denmark", "countryCode": "DK"}},
                    "Phones": {"ContactPhone": {"number": "+45 11223344", "useType": "Mobile"}}}}


@pytest.fixture
def follower():
    """A channel-like job that follows the mirror, registered for one test only."""
    register_job("tests.after_sales", interval=timedelta(minutes=5), follows=(JOB,))(lambda ctx: None)
    yield "tests.after_sales"
    registry._jobs.pop("tests.after_sales", None)


@pytest.fixture
def mirror(tenant, connected, sandbox, clock):
    """Connected, with the mirror's first (empty) poll done: later runs see only what the test adds."""
    run = sync(tenant, clock)
    assert run.status == "succeeded", run.error
    sandbox.request_log.clear()
    return tenant


def sync(tenant, clock, **params):
    return run_job(tenant=tenant, job=JOB, clock=clock, params=params)


def post_sale(tenant, clock, body, path="Sale"):
    with lightspeed_client(tenant, clock=clock) as client:
        return client.post(path, body)["Sale"]


def completed_sale(tenant, clock, sandbox, *, customer_id=4, ship_to=None, lines=((1, 2), (2, 1))):
    items = sorted(sandbox.state.items)
    body = {"employeeID": 1, "registerID": 1, "shopID": 1, "customerID": customer_id,
            "SaleLines": {"SaleLine": [{"itemID": items[i], "unitQuantity": q, "unitPrice": "10.00"}
                                       for i, q in lines]}}
    if ship_to:
        body["ShipTo"] = ship_to
    sale = post_sale(tenant, clock, body)
    clock.advance(1)
    return sandbox.complete_sale(int(sale["saleID"]), [{"amount": sale["total"], "paymentTypeID": 2}])


def test_a_completed_sale_lands_with_lines_payments_customer_and_ship_to(mirror, sandbox, clock):
    raw = completed_sale(mirror, clock, sandbox, ship_to=SHIP)
    clock.advance(2)
    run = sync(mirror, clock)
    assert run.status == "succeeded", run.error
    sale = Sale.objects.for_tenant(mirror).get(ls_id=int(raw["saleID"]))
    assert sale.completed and not sale.voided and not sale.is_refund
    assert sale.total == Decimal("30.00") and sale.shop_ls_id == 1 and sale.register_ls_id == 1
    assert sale.complete_time is not None and sale.ls_timestamp is not None
    lines = list(SaleLine.objects.for_tenant(mirror).filter(sale=sale).order_by("ls_id"))
    assert [(line.quantity, line.unit_price, line.parent_line_ls_id) for line in lines] == [
        (2, Decimal("10.00"), 0), (1, Decimal("10.00"), 0)]
    (payment,) = SalePayment.objects.for_tenant(mirror).filter(sale=sale)
    assert (payment.payment_type_ls_id, payment.payment_type_name, payment.amount) == (2, "Credit Card",
                                                                                         Decimal("30.00"))
    customer = Customer.objects.for_tenant(mirror).get(ls_id=4)
    seeded = sandbox.state.customers[4]
    assert (customer.first_name, customer.last_name) == (seeded.first_name, seeded.last_name)
    assert customer.email == seeded.contact.emails[0]["address"]
    assert customer.phone == seeded.contact.phones[0]["number"]
    ship_to = ShipTo.objects.for_tenant(mirror).get(sale=sale)
    assert (ship_to.first_name, ship_to.company, ship_to.ship_note, ship_to.phone) == (
        "Ida", "Holm ApS", "GLS-1234", "+45 11223344")
    assert ship_to.address["address1"] == "Nørregade 7" and ship_to.address["countryCode"] == "DK"


def test_a_voided_sale_and_an_archived_one_are_mirrored(mirror, sandbox, clock):
    voided = completed_sale(mirror, clock, sandbox)
    open_sale = post_sale(mirror, clock, {"employeeID": 1, "registerID": 1, "shopID": 1})
    sync(mirror, clock)
    clock.advance(5)
    sandbox.void_sale(int(voided["saleID"]))
    with lightspeed_client(mirror, clock=clock) as client:
        client.request("DELETE", client.url_for(f"Sale/{open_sale['saleID']}"))
    clock.advance(1)
    sync(mirror, clock)
    sales = {s.ls_id: s for s in Sale.objects.for_tenant(mirror)}
    assert sales[int(voided["saleID"])].voided
    assert sales[int(open_sale["saleID"])].archived and not sales[int(open_sale["saleID"])].completed


def test_a_refund_has_negative_lines_pointing_at_the_sold_ones(mirror, sandbox, clock):
    sold = completed_sale(mirror, clock, sandbox)
    clock.advance(5)
    refund = post_sale(mirror, clock, {"employeeID": 1, "registerID": 1, "shopID": 1,
                                       "SalePayments": {"SalePayment": {"paymentTypeID": 1}}},
                       path=f"Sale/{sold['saleID']}/refund")
    assert refund["completed"] == "true" and Decimal(refund["total"]) == Decimal("-30.00")
    clock.advance(1)
    sync(mirror, clock)
    mirrored = Sale.objects.for_tenant(mirror).get(ls_id=int(refund["saleID"]))
    assert mirrored.is_refund and mirrored.total == Decimal("-30.00")
    sold_lines = dict(SaleLine.objects.for_tenant(mirror).filter(sale__ls_id=int(sold["saleID"]))
                      .values_list("ls_id", "quantity"))
    refund_lines = dict(SaleLine.objects.for_tenant(mirror).filter(sale=mirrored)
                        .values_list("parent_line_ls_id", "quantity"))
    assert refund_lines == {ls_id: -quantity for ls_id, quantity in sold_lines.items()}
    (payment,) = SalePayment.objects.for_tenant(mirror).filter(sale=mirrored)
    assert payment.amount == Decimal("-30.00") and payment.payment_type_name == "Cash"


def test_a_partial_refund_sale_posted_with_negative_quantities(mirror, sandbox, clock):
    sold = completed_sale(mirror, clock, sandbox)
    line = sold["SaleLines"]["SaleLine"][0]
    body = {"employeeID": 1, "registerID": 1, "shopID": 1, "completed": True,
            "SaleLines": {"SaleLine": {"itemID": line["itemID"], "unitQuantity": -1, "unitPrice": "10.00",
                                       "parentSaleLineID": line["saleLineID"]}},
            "SalePayments": {"SalePayment": {"paymentTypeID": 1, "amount": "-10.00"}}}
    refund = post_sale(mirror, clock, body)
    clock.advance(1)
    sync(mirror, clock)
    (refund_line,) = SaleLine.objects.for_tenant(mirror).filter(sale__ls_id=int(refund["saleID"]))
    assert (refund_line.quantity, refund_line.parent_line_ls_id) == (-1, int(line["saleLineID"]))


def test_an_empty_poll_is_one_request_of_one_drip(mirror, sandbox, clock):
    completed_sale(mirror, clock, sandbox)
    clock.advance(2)  # read two seconds after its change: not read again
    sync(mirror, clock)
    sandbox.request_log.clear()
    clock.advance(10)
    run = sync(mirror, clock)  # the sale is inside the overlap: read again, dropped as known
    (request,) = api_requests(sandbox, "/Sale")
    assert request["cost"] == 1.0 and "load_relations" not in request["query"]
    assert run.counts["sales.seen"] == 1 and run.counts.get("sales.changed", 0) == 0


def test_overlap_rereads_are_deduplicated_and_a_change_is_fetched_once(mirror, sandbox, clock):
    sale = completed_sale(mirror, clock, sandbox)
    clock.advance(1)
    first = sync(mirror, clock)
    assert first.counts["sales.written"] == 1
    clock.advance(10)
    sandbox.void_sale(int(sale["saleID"]))
    clock.advance(1)
    sandbox.request_log.clear()
    second = sync(mirror, clock)
    assert second.counts["sales.changed"] == 1 and second.counts["sales.written"] == 1
    assert len(api_requests(sandbox, "/Sale")) == 2  # the probe, and the details of the one changed sale
    assert Sale.objects.for_tenant(mirror).count() == 1 and Sale.objects.for_tenant(mirror).get().voided
    assert SaleLine.objects.for_tenant(mirror).count() == 2 and SalePayment.objects.for_tenant(mirror).count() == 1


def test_a_sale_completed_in_the_second_it_was_read_open_is_read_again(mirror, sandbox, clock):
    """TimeStamps are whole seconds: opened, mirrored and completed inside one second, the sale keeps its stamp;
    the next poll reads it once more, and the one after drops it as known."""
    items = sorted(sandbox.state.items)
    sale = post_sale(mirror, clock, {"employeeID": 1, "registerID": 1, "shopID": 1, "SaleLines": {
        "SaleLine": [{"itemID": items[0], "unitQuantity": 1, "unitPrice": "10.00"}]}})
    assert sync(mirror, clock).counts["sales.written"] == 1
    sandbox.complete_sale(int(sale["saleID"]), [{"amount": sale["total"], "paymentTypeID": 2}])  # same second
    assert not Sale.objects.for_tenant(mirror).get().completed
    clock.advance(10)
    assert sync(mirror, clock).counts["sales.changed"] == 1
    assert Sale.objects.for_tenant(mirror).get().completed
    clock.advance(10)
    assert sync(mirror, clock).counts.get("sales.changed", 0) == 0


def test_a_bad_sale_is_logged_and_the_others_land(mirror, sandbox, clock):
    good = completed_sale(mirror, clock, sandbox)
    bad = completed_sale(mirror, clock, sandbox, customer_id=6)
    nul = completed_sale(mirror, clock, sandbox, customer_id=7)
    sandbox.state.sales[int(bad["saleID"])].lines[0].unit_quantity = 10 ** 12
    sandbox.state.sales[int(nul["saleID"])].reference_number = "MIINTO-\x00-9"
    clock.advance(1)
    run = sync(mirror, clock)
    assert run.status == "partial"
    assert set(Sale.objects.for_tenant(mirror).values_list("ls_id", flat=True)) == {int(good["saleID"])}
    errors = {e.object_id: e.message for e in SyncEvent.objects.for_tenant(mirror).filter(run=run, level="error")}
    assert set(errors) == {str(bad["saleID"]), str(nul["saleID"])}
    assert "unitQuantity" in errors[str(bad["saleID"])] and "NUL" in errors[str(nul["saleID"])]
    assert "\\x00" in SyncEvent.objects.for_tenant(mirror).get(run=run, object_id=str(nul["saleID"])).data[
        "sale"]["referenceNumber"]  # the raw value kept, the NUL spelled out
    sandbox.request_log.clear()
    clock.advance(10)
    assert sync(mirror, clock).status == "succeeded"  # the bad ones are not fetched (nor logged) again
    assert len(api_requests(sandbox, "/Sale")) == 1
    sandbox.state.sales[int(bad["saleID"])].lines[0].unit_quantity = 2  # fixed in Lightspeed: its timeStamp moves
    sandbox.state.sales[int(bad["saleID"])].time_stamp = sandbox.timestamp()
    clock.advance(1)
    assert sync(mirror, clock).counts["sales.written"] == 1
    assert Sale.objects.for_tenant(mirror).filter(ls_id=int(bad["saleID"])).exists()


def test_a_line_removed_from_an_open_sale_leaves_the_mirror(mirror, sandbox, clock):
    items = sorted(sandbox.state.items)
    sale = post_sale(mirror, clock, {"employeeID": 1, "registerID": 1, "shopID": 1, "SaleLines": {"SaleLine": [
        {"itemID": items[0], "unitQuantity": 1}, {"itemID": items[1], "unitQuantity": 1}]}})
    clock.advance(1)
    sync(mirror, clock)
    assert SaleLine.objects.for_tenant(mirror).count() == 2
    record = sandbox.state.sales[int(sale["saleID"])]
    record.lines.pop()
    clock.advance(5)
    record.time_stamp = sandbox.timestamp()
    sync(mirror, clock)
    assert list(SaleLine.objects.for_tenant(mirror).values_list("item_ls_id", flat=True)) == [items[0]]
    assert Sale.objects.for_tenant(mirror).count() == 1


def test_the_cursor_survives_a_restart(mirror, sandbox, clock):
    completed_sale(mirror, clock, sandbox)
    clock.advance(2)  # read two seconds after its change: not read again
    sync(mirror, clock)
    cursor = SyncCursor.objects.for_tenant(mirror).get(name=CURSOR).value
    newest = max(s.time_stamp for s in sandbox.state.sales.values())
    assert int(cursor.timestamp()) == newest
    clock.advance(3600)  # a worker restart an hour later: the next poll starts from the stored cursor
    sandbox.request_log.clear()
    sync(mirror, clock)
    (probe,) = api_requests(sandbox, "/Sale")
    assert f">=,{(cursor - OVERLAP).isoformat()}" in unquote(probe["query"])


def test_followers_are_queued_after_a_poll_that_found_something(mirror, sandbox, clock, queued_runs, follower,
                                                                django_capture_on_commit_callbacks):
    schedule_enable(tenant=mirror, job="tests.after_sales")
    with django_capture_on_commit_callbacks(execute=True):
        assert sync(mirror, clock).followers == []  # nothing new
    assert queued_runs == []
    completed_sale(mirror, clock, sandbox)
    clock.advance(1)
    with django_capture_on_commit_callbacks(execute=True):
        assert sync(mirror, clock).followers == ["tests.after_sales"]
    ((args, kwargs, opts),) = queued_runs
    assert args == [mirror.pk, "tests.after_sales"] and kwargs["params"] == {"after": JOB}
    assert opts["queue"] == "bulk"


def test_followers_not_scheduled_for_the_tenant_are_not_queued(mirror, sandbox, clock, queued_runs, follower,
                                                               django_capture_on_commit_callbacks):
    schedule_enable(tenant=mirror, job="tests.after_sales")
    Schedule.objects.for_tenant(mirror).filter(job="tests.after_sales").update(paused_reason="paused by test")
    completed_sale(mirror, clock, sandbox)
    clock.advance(1)
    with django_capture_on_commit_callbacks(execute=True):
        assert sync(mirror, clock).followers == []
    assert queued_runs == []


def test_a_follower_already_running_is_queued_again_shortly(mirror, queued_runs, follower,
                                                            django_capture_on_commit_callbacks):
    from connector.runs import run_job_with_retry, run_start

    run_start(tenant=mirror, job=follower, trigger="schedule")  # its previous run is still going
    with django_capture_on_commit_callbacks(execute=True):
        assert run_job_with_retry(tenant_id=mirror.pk, job=follower, params={"after": JOB}) is None
        assert run_job_with_retry(tenant_id=mirror.pk, job=follower, params={}) is None  # not a follow run
    ((args, kwargs, opts),) = queued_runs
    assert kwargs["params"] == {"after": JOB} and kwargs["attempt"] == 2 and opts["countdown"] == 5.0


def test_followers_run_even_when_the_run_failed_after_writing(tenant, queued_runs, follower,
                                                              django_capture_on_commit_callbacks):
    from connector.errors import TransientError

    def writes_then_fails(ctx):
        ctx.found_changes()  # page 1 written and committed
        raise TransientError("page 2: 503")

    register_job("tests.writer", interval=timedelta(minutes=1))(writes_then_fails)
    register_job("tests.after_writer", interval=timedelta(minutes=5), follows=("tests.writer",))(lambda ctx: None)
    try:
        schedule_enable(tenant=tenant, job="tests.after_writer")
        with django_capture_on_commit_callbacks(execute=True):
            run = run_job(tenant=tenant, job="tests.writer")
            dry = run_job(tenant=tenant, job="tests.writer", dry_run=True)
        assert run.status == "failed" and run.followers == ["tests.after_writer"] and dry.followers == []
        assert [args for args, _, _ in queued_runs] == [[tenant.pk, "tests.after_writer"]]
    finally:
        registry._jobs.pop("tests.writer", None)
        registry._jobs.pop("tests.after_writer", None)
