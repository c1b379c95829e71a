"""The client against the sandbox: rate limit, retries, the envelope's quirks, pagination, writes."""
import pytest

from connector.http import Transient
from lightspeed import resources as ls
from lightspeed.client import lightspeed_client

from .conftest import api_requests, connect, make_sandbox


@pytest.fixture
def client(connected, tenant, clock):
    with lightspeed_client(tenant, clock=clock) as client:
        yield client


def sale_body(reference, sandbox):
    item_id = next(i for i, item in sandbox.state.items.items() if not item.archived)
    return {"employeeID": 1, "shopID": 1, "registerID": 1, "referenceNumber": reference,
            "referenceNumberSource": "Miinto", "SaleLines": {"SaleLine": [{"itemID": item_id, "unitQuantity": 1}]}}


def test_a_429_is_honoured_with_retry_after(client, sandbox, clock):
    bucket = sandbox.limiter.bucket(sandbox.account_id, sandbox.client_id)
    bucket._drain(sandbox.now())
    bucket.level = bucket.size + 6  # another app of ours filled it behind the limiter's back
    start = clock.time()
    assert client.get("Shop")["Shop"]
    statuses = [r["status"] for r in api_requests(sandbox, "/Shop")]
    assert statuses == [429, 200] and client.stats["rate_limited"] == 1
    assert clock.time() - start >= 6 / 2  # Retry-After = ceil(6 drips / 2 per s)


def test_the_limiter_waits_before_overflow_so_a_long_sync_sees_no_429(tenant, clock, settings):
    sandbox = make_sandbox(clock, settings, items=4000, registers=1)  # bucket 90, 1 drip/s
    connect(tenant, sandbox, clock)
    start = clock.time()
    with lightspeed_client(tenant, clock=clock) as client:
        for _ in range(2):
            assert sum(1 for _ in ls.items_changed_since(client, None, with_stock=True)) == 4000
        drips = client.stats["drips"]
    statuses = {r["status"] for r in api_requests(sandbox)}
    assert statuses == {200}
    assert drips > 90 and clock.time() - start >= (drips - 90) / 1 - 1  # it had to wait, and did


def test_one_row_results_and_one_row_relations_come_as_lists(client, sandbox):
    raw = client.get("Item", {"itemID": "=,5"})
    assert isinstance(raw["Item"], dict)  # the quirk is really there
    assert [r.item_id for r in ls.items_by_ids(client, [5])] == [5]
    with_email = next(c for c in sandbox.customers() if c["Contact"]["Emails"])
    email = with_email["Contact"]["Emails"]["ContactEmail"]["address"]
    assert isinstance(with_email["Contact"]["Emails"]["ContactEmail"], dict)
    found = ls.customer_find(client, email=email)
    assert found.customer_id == int(with_email["customerID"]) and found.emails == [email]
    sale = ls.sale_create(client, sale_body("one-line", sandbox))
    assert len(sale.lines) == 1 and sale.lines[0]["quantity"] == 1


def test_an_empty_relation_and_an_empty_result(client, sandbox):
    from lightspeed.records import customer_record

    without = next(c for c in sandbox.customers() if c["Contact"]["Emails"] == "")
    raw = client.get(f"Customer/{without['customerID']}", {"load_relations": '["Contact"]'})["Customer"]
    assert raw["Contact"]["Emails"] == "" and customer_record(raw).emails == []
    assert ls.customer_find(client, email="nobody@example.invalid") is None  # no resource key at all


def test_pagination_across_many_pages_while_items_change(client, sandbox):
    all_ids = set(sandbox.state.items)
    seen, changed = {}, []
    for n, item in enumerate(ls.items_changed_since(client, None)):
        seen[item.item_id] = item.description
        if n in (10, 150, 420):  # change rows already read: they move behind the cursor
            client.put(f"Item/{item.item_id}", {"description": f"Changed {item.item_id}"})
            changed.append(item.item_id)
    assert set(seen) == all_ids
    assert all(seen[i] == f"Changed {i}" for i in changed)
    assert len([r for r in api_requests(sandbox, "/Item.json") if r["method"] == "GET"]) >= 3


def test_a_dropped_answer_on_a_sale_is_not_retried_and_the_lookup_finds_it(client, sandbox):
    sandbox.inject_fault("drop_after_commit", method="POST", path_contains="/Sale")
    with pytest.raises(Transient):
        ls.sale_create(client, sale_body("M-1", sandbox))
    assert len([r for r in api_requests(sandbox, "/Sale.json") if r["method"] == "POST"]) == 1
    sandbox.inject_fault("drop_after_commit", method="POST", path_contains="/Sale")
    sale, created = ls.sale_create_once(client, sale_body("M-2", sandbox))
    assert created and sale.reference_number == "M-2"
    again, created_again = ls.sale_create_once(client, sale_body("M-2", sandbox))
    assert again.sale_id == sale.sale_id and not created_again
    assert [s.reference_number for s in sandbox.state.sales.values()].count("M-2") == 1


def test_transient_errors_on_reads_are_retried_with_backoff(client, sandbox, clock):
    sandbox.inject_fault("503", method="GET", path_contains="/Shop", times=2)
    start = clock.time()
    assert client.get("Shop")["Shop"]
    assert [r["status"] for r in api_requests(sandbox, "/Shop")][-1] == 200
    assert clock.time() > start


def test_errors_are_typed_and_carry_the_message(client):
    from connector.http import Invalid

    with pytest.raises(Invalid) as exc:
        client.get("Item", {"sort": "qoh"})
    assert "qoh" in str(exc.value) or "sort" in str(exc.value).lower()


def test_sales_changed_since_reaches_back_by_the_overlap(client, sandbox):
    from datetime import timedelta

    sale = ls.sale_create(client, sale_body("S-1", sandbox))
    later = sale.timestamp + timedelta(seconds=1)
    assert [s.sale_id for s in ls.sales_changed_since(client, later)] == []
    found = list(ls.sales_changed_since(client, later, overlap=timedelta(seconds=5)))
    assert [s.sale_id for s in found] == [sale.sale_id] and found[0].lines
