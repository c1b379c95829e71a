"""End to end against both sandboxes: Miinto pending order -> one open Lightspeed sale -> accepted/declined back."""
from decimal import Decimal

from channels.miinto.models import MiintoSettings
from connector.models import OrderLedger, SyncEvent
from connector.runs import run_job

CUSTOMER = {"name": "Anna Maria Jensen", "email": "anna.jensen@example.com", "phone": "+45 20304050",
            "street": "Vestergade 3", "postcode": "8000", "city": "Aarhus C", "country": "DK"}


def run(tenant, job, clock, **params):
    """One run of a Miinto job; the status sync as the scheduler runs it: after a sales-mirror poll."""
    if job == "status_sync":
        mirror = run_job(tenant=tenant, job="lightspeed.sales_sync", clock=clock)
        assert mirror.status == "succeeded", mirror.error
    return run_job(tenant=tenant, job=f"miinto.{job}", clock=clock, params=params)


def sales_with(ls_sandbox, reference):
    return [s for s in ls_sandbox.state.sales.values() if s.reference_number == reference]


def ledger_of(tenant, transfer_id):
    return OrderLedger.objects.for_tenant(tenant).get(channel="miinto", external_id=str(transfer_id))


def messages_of(tenant, transfer_id):
    rows = SyncEvent.objects.for_tenant(tenant).filter(object_type="miinto_order", object_id=str(transfer_id))
    return [e.message for e in rows.order_by("id")]


def add_order(miinto_sandbox, eans, quantities=(2, 1), prices=(49950, 12000), customer=CUSTOMER):
    positions = [{"gtin": g, "quantity": q, "price": p} for g, q, p in zip(eans, quantities, prices)]
    return miinto_sandbox.add_pending_order(miinto_sandbox.shop_ids[0], positions, dict(customer))


def import_one(miinto_tenant, miinto_sandbox, ls_sandbox, eans, clock):
    transfer_id = add_order(miinto_sandbox, eans[:2])
    assert run(miinto_tenant, "orders_import", clock).status == "succeeded"
    (sale,) = sales_with(ls_sandbox, f"MIINTO-{transfer_id}")
    return transfer_id, sale


def test_pending_order_becomes_one_open_sale_with_the_seed_mapping(miinto_tenant, miinto_sandbox, ls_sandbox, eans,
                                                                    clock):
    customers_before = len(ls_sandbox.state.customers)
    transfer_id, sale = import_one(miinto_tenant, miinto_sandbox, ls_sandbox, eans, clock)
    items = {item.ean: item.item_id for item in ls_sandbox.state.items.values()}
    assert not sale.completed and not sale.voided
    assert sale.reference_number_source == "Miinto"
    assert sale.shop_id == 1
    assert ls_sandbox.state.registers[sale.register_id].name == "Miinto"  # the seed's default register
    assert [(line.item_id, line.unit_quantity, line.unit_price) for line in sale.lines] == [
        (items[eans[0]], 2, Decimal("499.50")), (items[eans[1]], 1, Decimal("120.00"))]
    customer = ls_sandbox.state.customers[sale.customer_id]
    assert (customer.first_name, customer.last_name) == ("Anna Maria", "Jensen")
    address = customer.contact.addresses[0]
    assert (address["address1"], address["city"], address["zip"], address["country"]) == (
        "Vestergade 3", "Aarhus C", "8000", "Denmark")
    assert customer.contact.phones[0]["number"] == "+45 20304050"
    assert customer.contact.emails[0]["address"] == "anna.jensen@example.com"
    assert sale.ship_to.contact.addresses[0]["address1"] == "Vestergade 3"
    # Still pending on Miinto: the store accepts by completing the sale.
    assert miinto_sandbox.positions_by_status(transfer_id)["accepted"] == []
    assert miinto_sandbox.actions == []
    ledger = ledger_of(miinto_tenant, transfer_id)
    assert ledger.state == OrderLedger.State.SALE_CREATED and ledger.sale_id == str(sale.sale_id)
    # The next minute's run sees the same pending transfer: nothing new anywhere.
    assert run(miinto_tenant, "orders_import", clock).status == "succeeded"
    assert len(sales_with(ls_sandbox, f"MIINTO-{transfer_id}")) == 1
    assert len(ls_sandbox.state.customers) == customers_before + 1


def test_known_customer_is_found_not_created_again(miinto_tenant, miinto_sandbox, ls_sandbox, eans, clock):
    import_one(miinto_tenant, miinto_sandbox, ls_sandbox, eans, clock)
    customers = len(ls_sandbox.state.customers)
    second = add_order(miinto_sandbox, eans[2:3], quantities=(1,), prices=(100,))
    run(miinto_tenant, "orders_import", clock)
    (sale,) = sales_with(ls_sandbox, f"MIINTO-{second}")
    assert len(ls_sandbox.state.customers) == customers
    assert ls_sandbox.state.customers[sale.customer_id].last_name == "Jensen"


def test_completing_the_sale_accepts_on_miinto_with_tracking(miinto_tenant, miinto_sandbox, ls_sandbox, eans, clock):
    transfer_id, sale = import_one(miinto_tenant, miinto_sandbox, ls_sandbox, eans, clock)
    assert run(miinto_tenant, "status_sync", clock).status == "succeeded"  # nothing happened yet
    assert miinto_sandbox.actions == []
    clock.advance(30)
    ls_sandbox.state.sales[sale.sale_id].ship_to.ship_note = "PN-00370712345"  # the shipping instruction
    ls_sandbox.complete_sale(sale.sale_id)
    assert run(miinto_tenant, "status_sync", clock).status == "succeeded"
    statuses = miinto_sandbox.positions_by_status(transfer_id)
    assert statuses["pending"] == [] and len(statuses["accepted"]) == 2
    assert set(miinto_sandbox.tracking_of(transfer_id).values()) == {"PN-00370712345"}
    ledger = ledger_of(miinto_tenant, transfer_id)
    assert ledger.state == OrderLedger.State.ACCEPTED
    assert ledger.details["miinto_order_id"] in miinto_sandbox.orders
    assert any("accepted on Miinto" in m for m in messages_of(miinto_tenant, transfer_id))
    run(miinto_tenant, "status_sync", clock)
    assert [a["action"] for a in miinto_sandbox.actions] == ["accept", "tracking", "tracking"]  # one per position


def test_voiding_the_sale_declines_on_miinto(miinto_tenant, miinto_sandbox, ls_sandbox, eans, clock):
    kept, kept_sale = import_one(miinto_tenant, miinto_sandbox, ls_sandbox, eans, clock)
    voided = add_order(miinto_sandbox, eans[3:4], quantities=(1,), prices=(5000,))
    run(miinto_tenant, "orders_import", clock)
    (sale,) = sales_with(ls_sandbox, f"MIINTO-{voided}")
    clock.advance(5)
    ls_sandbox.void_sale(sale.sale_id)
    run(miinto_tenant, "status_sync", clock)
    assert miinto_sandbox.positions_by_status(voided)["declined"] and not miinto_sandbox.orders
    assert ledger_of(miinto_tenant, voided).state == OrderLedger.State.DECLINED
    assert miinto_sandbox.positions_by_status(kept)["accepted"] == []  # the other order is untouched
    assert any("declined on Miinto" in m for m in messages_of(miinto_tenant, voided))


def test_void_policy_leave_keeps_the_miinto_order(miinto_tenant, miinto_sandbox, ls_sandbox, eans, clock):
    MiintoSettings.objects.for_tenant(miinto_tenant).update(void_policy="leave")
    transfer_id, sale = import_one(miinto_tenant, miinto_sandbox, ls_sandbox, eans, clock)
    clock.advance(5)
    ls_sandbox.void_sale(sale.sale_id)
    run(miinto_tenant, "status_sync", clock)
    assert miinto_sandbox.actions == []
    assert any("left as it is on Miinto" in m for m in messages_of(miinto_tenant, transfer_id))


def test_shipping_instruction_filled_after_completion_is_sent(miinto_tenant, miinto_sandbox, ls_sandbox, eans, clock):
    transfer_id, sale = import_one(miinto_tenant, miinto_sandbox, ls_sandbox, eans, clock)
    clock.advance(5)
    ls_sandbox.complete_sale(sale.sale_id)
    run(miinto_tenant, "status_sync", clock)
    assert miinto_sandbox.positions_by_status(transfer_id)["accepted"] and miinto_sandbox.tracking_of(transfer_id) == {}
    clock.advance(60)
    completed = ls_sandbox.state.sales[sale.sale_id]
    completed.ship_to.ship_note = "GLS-778899"
    completed.time_stamp = ls_sandbox.now()
    run(miinto_tenant, "status_sync", clock)
    assert set(miinto_sandbox.tracking_of(transfer_id).values()) == {"GLS-778899"}
    assert [a["action"] for a in miinto_sandbox.actions].count("accept") == 1


def test_archived_sale_declines_on_miinto(miinto_tenant, miinto_sandbox, ls_sandbox, eans, clock):
    from lightspeed.client import lightspeed_client

    transfer_id, sale = import_one(miinto_tenant, miinto_sandbox, ls_sandbox, eans, clock)
    clock.advance(5)
    with lightspeed_client(miinto_tenant, clock=clock) as client:  # DELETE archives an open sale
        client.request("DELETE", client.url_for(f"Sale/{sale.sale_id}"))
    assert ls_sandbox.state.sales[sale.sale_id].archived
    run(miinto_tenant, "status_sync", clock)
    assert len(miinto_sandbox.positions_by_status(transfer_id)["declined"]) == 2
    assert any("was archived" in m for m in messages_of(miinto_tenant, transfer_id))


def test_order_decided_by_hand_on_miinto_gives_up_after_attempts(miinto_tenant, miinto_sandbox, ls_sandbox, eans,
                                                                  clock):
    transfer_id, sale = import_one(miinto_tenant, miinto_sandbox, ls_sandbox, eans, clock)
    positions = [{"id": p["id"]} for p in miinto_sandbox.transfers[transfer_id]["positions"]]
    miinto_sandbox.transfer_decide(miinto_sandbox.shop_ids[0], transfer_id, {"declinedPositions": positions})
    clock.advance(5)
    ls_sandbox.complete_sale(sale.sale_id)
    for _ in range(5):
        assert run(miinto_tenant, "status_sync", clock).status == "partial"
    ledger = ledger_of(miinto_tenant, transfer_id)
    assert ledger.state == OrderLedger.State.FAILED and "already declined" in ledger.last_error
    assert run(miinto_tenant, "status_sync", clock).status == "succeeded"  # no longer retried every minute
    assert any("gave up" in m for m in messages_of(miinto_tenant, transfer_id))


def test_status_sync_reads_the_mirror_not_lightspeed_and_follows_it(miinto_tenant, miinto_sandbox, ls_sandbox, eans,
                                                                     clock):
    from connector.registry import get_job

    assert "lightspeed.sales_sync" in get_job("miinto.status_sync").follows
    transfer_id, sale = import_one(miinto_tenant, miinto_sandbox, ls_sandbox, eans, clock)
    clock.advance(5)
    ls_sandbox.complete_sale(sale.sale_id)
    assert run_job(tenant=miinto_tenant, job="miinto.status_sync", clock=clock).status == "succeeded"
    assert miinto_sandbox.positions_by_status(transfer_id)["accepted"] == []  # the mirror has not seen it yet
    assert run_job(tenant=miinto_tenant, job="lightspeed.sales_sync", clock=clock).status == "succeeded"
    ls_sandbox.request_log.clear()
    assert run_job(tenant=miinto_tenant, job="miinto.status_sync", clock=clock).status == "succeeded"
    assert [r for r in ls_sandbox.request_log if r["path"].startswith("/API/")] == []
    assert len(miinto_sandbox.positions_by_status(transfer_id)["accepted"]) == 2
