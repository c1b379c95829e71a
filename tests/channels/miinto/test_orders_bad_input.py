"""Bad input: each problem is logged on its order with a clear message, nothing is lost, other orders go on."""
from channels.miinto.models import MiintoSettings
from connector.models import OrderLedger, SyncEvent

from .test_orders_e2e import add_order, ledger_of, messages_of, run, sales_with


def test_unknown_ean_declined_and_the_rest_imported(miinto_tenant, miinto_sandbox, ls_sandbox, eans, clock):
    transfer_id = add_order(miinto_sandbox, [eans[0], "0000000000000"])
    run(miinto_tenant, "orders_import", clock)
    (sale,) = sales_with(ls_sandbox, f"MIINTO-{transfer_id}")
    assert len(sale.lines) == 1
    unknown = miinto_sandbox.transfers[transfer_id]["positions"][1]["id"]
    assert miinto_sandbox.positions_by_status(transfer_id)["declined"] == [unknown]
    messages = messages_of(miinto_tenant, transfer_id)
    assert any("no Lightspeed product has EAN or systemSku 0000000000000" in m for m in messages)
    assert any(f"positions [{unknown}] declined on Miinto" in m for m in messages)


def test_unknown_ean_left_pending_when_settings_say_so(miinto_tenant, miinto_sandbox, ls_sandbox, eans, clock):
    MiintoSettings.objects.for_tenant(miinto_tenant).update(unfulfillable_policy="leave_pending")
    transfer_id = add_order(miinto_sandbox, [eans[0], "0000000000000"])
    run(miinto_tenant, "orders_import", clock)
    assert len(sales_with(ls_sandbox, f"MIINTO-{transfer_id}")) == 1
    assert len(miinto_sandbox.positions_by_status(transfer_id)["pending"]) == 2 and miinto_sandbox.actions == []
    assert any("left pending on Miinto (settings" in m for m in messages_of(miinto_tenant, transfer_id))


def test_order_without_lightspeed_products_is_left_alone(miinto_tenant, miinto_sandbox, ls_sandbox, eans, clock):
    skipped = add_order(miinto_sandbox, ["0000000000001", "0000000000002"])
    good = add_order(miinto_sandbox, eans[:1], quantities=(1,), prices=(100,))
    run(miinto_tenant, "orders_import", clock)
    assert sales_with(ls_sandbox, f"MIINTO-{skipped}") == [] and len(sales_with(ls_sandbox, f"MIINTO-{good}")) == 1
    assert ledger_of(miinto_tenant, skipped).state == OrderLedger.State.SKIPPED
    assert miinto_sandbox.actions == []
    logged = messages_of(miinto_tenant, skipped)
    assert any("has no Lightspeed products: left alone" in m for m in logged)
    run(miinto_tenant, "orders_import", clock)
    assert messages_of(miinto_tenant, skipped) == logged  # re-checked quietly, not logged every minute


def test_missing_customer_fields_still_give_a_sale(miinto_tenant, miinto_sandbox, ls_sandbox, eans, clock):
    customers = len(ls_sandbox.state.customers)
    transfer_id = add_order(miinto_sandbox, eans[:1], quantities=(1,), prices=(100,), customer={"name": "Lars"})
    run(miinto_tenant, "orders_import", clock)
    (sale,) = sales_with(ls_sandbox, f"MIINTO-{transfer_id}")
    assert sale.customer_id == 0 and len(ls_sandbox.state.customers) == customers
    assert sale.ship_to.first_name == "Lars"
    messages = messages_of(miinto_tenant, transfer_id)
    assert any("customer fields missing on Miinto: email, phone, street, postcode, city, countryCode" in m
               for m in messages)
    assert any("no customer email" in m for m in messages)


def test_quantity_zero_position_left_pending(miinto_tenant, miinto_sandbox, ls_sandbox, eans, clock):
    transfer_id = add_order(miinto_sandbox, eans[:2], quantities=(0, 1))
    run(miinto_tenant, "orders_import", clock)
    (sale,) = sales_with(ls_sandbox, f"MIINTO-{transfer_id}")
    assert [line.unit_quantity for line in sale.lines] == [1]
    zero = miinto_sandbox.transfers[transfer_id]["positions"][0]["id"]
    assert zero in miinto_sandbox.positions_by_status(transfer_id)["pending"]
    assert any(f"position {zero} has quantity 0" in m for m in messages_of(miinto_tenant, transfer_id))


def test_malformed_transfers_logged_and_the_others_go_on(miinto_tenant, miinto_sandbox, ls_sandbox, eans, clock):
    shop = miinto_sandbox.shop_ids[0]
    broken = miinto_sandbox.add_raw_transfer(shop, {"id": 123456, "status": "pending", "pendingPositions": "oops"})
    miinto_sandbox.add_raw_transfer(shop, {"id": "", "status": "pending", "note": "no id at all"})
    good = add_order(miinto_sandbox, eans[:1], quantities=(1,), prices=(100,))
    result = run(miinto_tenant, "orders_import", clock)
    assert result.status == "partial"
    assert len(sales_with(ls_sandbox, f"MIINTO-{good}")) == 1
    ledger = ledger_of(miinto_tenant, broken)
    assert ledger.state == OrderLedger.State.FAILED and "pendingPositions is missing" in ledger.last_error
    assert ledger.payload["pendingPositions"] == "oops"  # kept as received
    assert any("pendingPositions is missing or not a list" in m for m in messages_of(miinto_tenant, broken))
    no_id = SyncEvent.objects.for_tenant(miinto_tenant).get(object_type="miinto_order", object_id="?")
    assert "without an id" in no_id.message and "no id at all" in no_id.message  # the body is in the event


def test_bad_signature_logged_on_that_order_and_retried(miinto_tenant, miinto_sandbox, ls_sandbox, eans, clock):
    first = add_order(miinto_sandbox, eans[:1], quantities=(1,), prices=(100,))
    second = add_order(miinto_sandbox, eans[1:2], quantities=(1,), prices=(100,))
    run(miinto_tenant, "orders_import", clock)
    clock.advance(10)
    for transfer_id in (first, second):
        ls_sandbox.complete_sale(sales_with(ls_sandbox, f"MIINTO-{transfer_id}")[0].sale_id)
    miinto_sandbox.inject_fault("bad_signature", method="PATCH", path_contains=f"/transfers/{first}", times=2)
    assert run(miinto_tenant, "status_sync", clock).status == "partial"
    assert miinto_sandbox.positions_by_status(first)["accepted"] == []
    assert miinto_sandbox.positions_by_status(second)["accepted"]  # the other order went on
    assert any("updating order" in m and "signature mismatch" in m for m in messages_of(miinto_tenant, first))
    assert ledger_of(miinto_tenant, first).details["sync_due"] is True
    assert run(miinto_tenant, "status_sync", clock).status == "succeeded"  # next minute: accepted
    assert miinto_sandbox.positions_by_status(first)["accepted"]
    assert ledger_of(miinto_tenant, first).state == OrderLedger.State.ACCEPTED

