"""Shipments both ways (PROVISIONAL contract, docs/buckles.md): a Buckles shipment marks the Lightspeed ShipTo
shipped with the Track & Trace code in its shipNote; one arriving before its sale is retried, not lost; a
shipment marked by hand in Lightspeed goes to Buckles, one Buckles told us about does not go back."""
import pytest

from channels.buckles.models import BucklesEvent, BucklesOrder
from connector.runs import run_job
from lightspeed.client import lightspeed_client
from lightspeed.models import ShipTo

pytestmark = pytest.mark.django_db


@pytest.fixture
def ls_shipping_sale(buckles_tenant, clock, items, mirror_sale):
    """A completed sale with a ShipTo, made in the Lightspeed sandbox, and mirrored."""
    def make(mirrored=True):
        body = {"shopID": "1", "registerID": "1", "employeeID": "1", "completed": "false",
                "SaleLines": {"SaleLine": [{"itemID": str(items[0].ls_id), "unitQuantity": "1", "unitPrice": "20"}]},
                "ShipTo": {"firstName": "Jane", "lastName": "Doe"}}
        with lightspeed_client(buckles_tenant, clock=clock) as client:
            sale = client.post("Sale", json=body)["Sale"]
        if mirrored:
            mirror_sale(buckles_tenant, int(sale["saleID"]), lines=[(items[0], 1, "20.00")], ship_to="pending")
        return int(sale["saleID"])

    return make


def apply(tenant, clock):
    run = run_job(tenant=tenant, job="buckles.events_apply", clock=clock)
    assert run.status in ("succeeded", "partial"), run.error
    return run


def shipment(sandbox, sale_id, code="3SABC999", **kwargs):
    return sandbox.emit("shipment.created", {"order": {"source": "lightspeed", "external_id": str(sale_id)},
                                             "shipment_id": "s1", "carrier": "PostNL", "track_trace_no": code,
                                             "shipped_at": None}, **kwargs)


def test_provisional_a_buckles_shipment_marks_the_shipto_shipped_with_track_and_trace(
        buckles_tenant, buckles_sandbox, ls_sandbox, clock, ls_shipping_sale):
    sale_id = ls_shipping_sale()
    shipment(buckles_sandbox, sale_id, mode="duplicate")
    run = apply(buckles_tenant, clock)
    ship_to = ls_sandbox.state.sales[sale_id].ship_to
    assert ship_to.shipped and ship_to.ship_note == "Track & Trace: 3SABC999 (PostNL)"
    assert run.counts["shipments_set"] == 1
    mirrored = ShipTo.objects.for_tenant(buckles_tenant).get(sale__ls_id=sale_id)
    assert mirrored.shipped and "3SABC999" in mirrored.ship_note


def test_provisional_a_shipment_before_its_sale_is_retried_not_lost(buckles_tenant, buckles_sandbox, ls_sandbox,
                                                                    clock, ls_shipping_sale, items, mirror_sale):
    sale_id = ls_shipping_sale(mirrored=False)
    shipment(buckles_sandbox, sale_id)
    apply(buckles_tenant, clock)
    event = BucklesEvent.objects.for_tenant(buckles_tenant).get()
    assert event.state == "retry" and "not in the Lightspeed data yet" in event.last_error
    mirror_sale(buckles_tenant, sale_id, lines=[(items[0], 1, "20.00")], ship_to="pending")  # the mirror catches up
    apply(buckles_tenant, clock)
    event.refresh_from_db()
    assert event.state == "done" and ls_sandbox.state.sales[sale_id].ship_to.shipped


def test_provisional_a_shipment_from_buckles_is_not_sent_back(buckles_tenant, buckles_sandbox, clock,
                                                               ls_shipping_sale):
    sale_id = ls_shipping_sale()
    run_job(tenant=buckles_tenant, job="buckles.orders_push", clock=clock)
    shipment(buckles_sandbox, sale_id)
    apply(buckles_tenant, clock)
    run_job(tenant=buckles_tenant, job="buckles.orders_push", clock=clock)
    assert buckles_sandbox.shipments == []
    assert buckles_sandbox.orders[("lightspeed", str(sale_id))]["status"] == "completed"


def test_provisional_a_shipment_marked_by_hand_in_lightspeed_goes_to_buckles(buckles_tenant, buckles_sandbox, clock,
                                                                             mirror_sale, items):
    mirror_sale(buckles_tenant, 700, lines=[(items[0], 1, "20.00")], ship_to="shipped")
    run_job(tenant=buckles_tenant, job="buckles.orders_push", clock=clock)
    run_job(tenant=buckles_tenant, job="buckles.orders_push", clock=clock)
    assert [s["track_trace_no"] for s in buckles_sandbox.shipments] == ["3SABC123"]
    assert BucklesOrder.objects.for_tenant(buckles_tenant).get(sale_ls_id=700).shipment_sent


def test_provisional_an_older_shipment_update_is_ignored(buckles_tenant, buckles_sandbox, ls_sandbox, clock,
                                                          ls_shipping_sale):
    sale_id = ls_shipping_sale()
    shipment(buckles_sandbox, sale_id, code="NEW1", occurred_at=clock.time())
    apply(buckles_tenant, clock)
    shipment(buckles_sandbox, sale_id, code="OLD0", occurred_at=clock.time() - 100)
    apply(buckles_tenant, clock)
    assert "NEW1" in ls_sandbox.state.sales[sale_id].ship_to.ship_note
