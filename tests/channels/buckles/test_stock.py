"""Stock both ways against the Buckles and Lightspeed sandboxes (PROVISIONAL contract, docs/buckles.md): a Buckles
stock change sets the Lightspeed qoh once, an echo is never sent back, a conflict is logged and not merged, an older
change is ignored, and Lightspeed changes go to Buckles."""
import pytest

from channels.buckles.mapping import item_sku
from channels.buckles.models import BucklesEvent, BucklesLink, BucklesStock
from connector.runs import run_job
from lightspeed.models import ItemStock

pytestmark = pytest.mark.django_db


def ls_qoh(ls_sandbox, item, shop=1):
    return next(r.qoh for r in ls_sandbox.state.item_shops_by_item[item.ls_id] if r.shop_id == shop)


def ls_puts(ls_sandbox):
    return [r for r in ls_sandbox.request_log if r["method"] == "PUT" and "/Item/" in r["path"]]


def apply(tenant, clock):
    run = run_job(tenant=tenant, job="buckles.events_apply", clock=clock)
    assert run.status in ("succeeded", "partial"), run.error
    return run


def push_stock(tenant, clock):
    run = run_job(tenant=tenant, job="buckles.stock_push", clock=clock)
    assert run.status in ("succeeded", "partial"), run.error
    return run


@pytest.fixture
def linked(buckles_tenant, buckles_sandbox, clock):
    """Products sent first, as the products job does: stock flows by the links."""
    run = run_job(tenant=buckles_tenant, job="buckles.products_push", clock=clock)
    assert run.status == "succeeded", run.error
    return BucklesLink.objects.for_tenant(buckles_tenant).filter(kind="product")


def first_item(items):
    return next(i for i in items if item_sku(i))


def test_provisional_a_buckles_stock_change_sets_the_lightspeed_qoh_once(buckles_tenant, buckles_sandbox, ls_sandbox,
                                                                        clock, items, linked):
    item = first_item(items)
    event = buckles_sandbox.emit("stock.changed", {"sku": item_sku(item), "quantity": 17, "location": None},
                                 mode="duplicate")
    buckles_sandbox.redeliver(event["id"])
    run = apply(buckles_tenant, clock)
    apply(buckles_tenant, clock)
    assert ls_qoh(ls_sandbox, item) == 17 and run.counts["qoh_set"] == 1 and len(ls_puts(ls_sandbox)) == 1
    assert ItemStock.objects.for_tenant(buckles_tenant).get(item=item, shop_ls_id=1).qoh == 17
    assert BucklesEvent.objects.for_tenant(buckles_tenant).get().state == "done"


def test_provisional_what_we_wrote_is_not_echoed_back(buckles_tenant, buckles_sandbox, clock, items, linked):
    item = first_item(items)
    push_stock(buckles_tenant, clock)  # the first full send
    writes = len(buckles_sandbox.writes)
    buckles_sandbox.emit("stock.changed", {"sku": item_sku(item), "quantity": 23, "location": None})
    apply(buckles_tenant, clock)
    run = push_stock(buckles_tenant, clock)
    assert run.counts.get("stock_sent", 0) == 0 and len(buckles_sandbox.writes) == writes


def test_provisional_lightspeed_stock_changes_go_to_buckles(buckles_tenant, buckles_sandbox, clock, items, linked):
    item = first_item(items)
    push_stock(buckles_tenant, clock)
    ItemStock.objects.for_tenant(buckles_tenant).filter(item=item, shop_ls_id=1).update(qoh=4)  # the catalog sync
    run = push_stock(buckles_tenant, clock)
    sku = BucklesLink.objects.for_tenant(buckles_tenant).get(kind="product", ls_id=item.ls_id).key
    assert run.counts["stock_sent"] == 1 and buckles_sandbox.stock[(sku, "")] == 4


def test_provisional_a_conflict_is_logged_and_not_merged(buckles_tenant, buckles_sandbox, ls_sandbox, clock, items,
                                                         linked):
    item = first_item(items)
    push_stock(buckles_tenant, clock)
    before = ls_qoh(ls_sandbox, item)
    ItemStock.objects.for_tenant(buckles_tenant).filter(item=item, shop_ls_id=1).update(qoh=before - 1)  # a sale
    buckles_sandbox.emit("stock.changed", {"sku": item_sku(item), "quantity": 50, "location": None})
    run = apply(buckles_tenant, clock)
    assert run.counts["stock_conflicts"] == 1 and ls_qoh(ls_sandbox, item) == before
    assert BucklesEvent.objects.for_tenant(buckles_tenant).get().state == "conflict"
    push_stock(buckles_tenant, clock)  # the Lightspeed count goes to Buckles, said so in the log
    sku = BucklesLink.objects.for_tenant(buckles_tenant).get(kind="product", ls_id=item.ls_id).key
    assert buckles_sandbox.stock[(sku, "")] == before - 1


def test_provisional_an_older_stock_change_arriving_late_is_ignored(buckles_tenant, buckles_sandbox, ls_sandbox, clock,
                                                                    items, linked):
    item = first_item(items)
    now = clock.time()
    buckles_sandbox.emit("stock.changed", {"sku": item_sku(item), "quantity": 9}, occurred_at=now)
    apply(buckles_tenant, clock)
    older = buckles_sandbox.emit("stock.changed", {"sku": item_sku(item), "quantity": 2}, occurred_at=now - 60)
    apply(buckles_tenant, clock)
    assert ls_qoh(ls_sandbox, item) == 9
    assert BucklesEvent.objects.for_tenant(buckles_tenant).get(delivery_id=older["id"]).state == "ignored"


def test_provisional_events_arriving_together_are_applied_in_timestamp_order(buckles_tenant, buckles_sandbox,
                                                                           ls_sandbox, clock, items, linked):
    item = first_item(items)
    now = clock.time()
    buckles_sandbox.emit("stock.changed", {"sku": item_sku(item), "quantity": 3}, mode="hold", occurred_at=now - 60)
    buckles_sandbox.emit("stock.changed", {"sku": item_sku(item), "quantity": 12}, mode="hold", occurred_at=now)
    assert buckles_sandbox.release_held() == [200, 200]  # the newer first: out of order
    apply(buckles_tenant, clock)
    assert ls_qoh(ls_sandbox, item) == 12


def test_provisional_unknown_product_and_unmapped_location_change_nothing(buckles_tenant, buckles_sandbox, ls_sandbox,
                                                                          clock, linked):
    buckles_sandbox.emit("stock.changed", {"sku": "EXT-1-001", "quantity": 5})  # only Buckles has it
    buckles_sandbox.emit("stock.changed", {"sku": "whatever", "quantity": 5, "location": "warehouse-9"})
    buckles_sandbox.emit("stock.changed", {"sku": "whatever", "quantity": "five"})
    run = apply(buckles_tenant, clock)
    assert not ls_puts(ls_sandbox)
    states = sorted(BucklesEvent.objects.for_tenant(buckles_tenant).values_list("state", flat=True))
    assert states == ["failed", "ignored", "ignored"] and run.status == "partial"


def test_provisional_a_lightspeed_outage_leaves_the_event_waiting(buckles_tenant, buckles_sandbox, ls_sandbox, clock,
                                                                   items, linked):
    item = first_item(items)
    buckles_sandbox.emit("stock.changed", {"sku": item_sku(item), "quantity": 31})
    ls_sandbox.inject_fault("503", method="PUT", times=20)
    run = run_job(tenant=buckles_tenant, job="buckles.events_apply", clock=clock)
    assert run.status == "failed" and run.error_kind == "transient"
    assert BucklesEvent.objects.for_tenant(buckles_tenant).get().state == "pending"
    ls_sandbox.faults.clear()
    apply(buckles_tenant, clock)
    assert ls_qoh(ls_sandbox, item) == 31
    assert BucklesStock.objects.for_tenant(buckles_tenant).get(item_ls_id=item.ls_id).written_qoh == 31
