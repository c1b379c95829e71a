"""The order import job against the SmartEtailing sandbox, on a tenant whose mirror is synced from the
Lightspeed sandbox. The pipeline that writes the Lightspeed sale is on another branch: here an order
ends "ready" on its ledger row with its ChannelOrder, and a row that has a sale is confirmed."""
from connector.models import OrderLedger, SyncEvent
from connector.runs import run_job
from lightspeed.models import Item, PosChoice

from channels.smartetailing.models import SmartEtailingSettings

JOB = "smartetailing.orders_import"


def run(tenant, clock, **params):
    return run_job(tenant=tenant, job=JOB, clock=clock, params=params)


def ledger(tenant, order_id):
    return OrderLedger.objects.for_tenant(tenant).get(channel="smartetailing", external_id=order_id)


def messages_of(tenant, order_id):
    rows = SyncEvent.objects.for_tenant(tenant).filter(object_type="smartetailing_order", object_id=order_id)
    return [e.message for e in rows.order_by("id")]


def items(tenant):
    live = Item.objects.for_tenant(tenant).filter(archived=False).order_by("ls_id")
    return list(live.exclude(upc="")[:2]), list(live.exclude(ean="")[:2])


def book(tenant):
    PosChoice.objects.for_tenant(tenant).update_or_create(
        tenant=tenant, channel="", defaults={"shop_ls_id": 1, "register_ls_id": 1, "employee_ls_id": 1})


def test_a_balanced_order_is_ready_with_its_channel_order(se_tenant, se_sandbox, clock):
    book(se_tenant)
    (upc_item, _), (ean_item, _) = items(se_tenant)
    order_id = se_sandbox.add_order(items=[{"gtin1": upc_item.upc, "quantity": 2, "unit_price": "20.00"},
                                           {"gtin2": ean_item.ean, "unit_price": "5.00"}], shipping="4.95")
    result = run(se_tenant, clock)
    assert result.status == "succeeded", result.error
    row = ledger(se_tenant, order_id)
    assert row.details["ready"] and row.reference == f"SE-{order_id}" and row.state == "received"
    channel_order = row.details["channel_order"]
    assert [line["item_ls_id"] for line in channel_order["lines"]] == [upc_item.ls_id, ean_item.ls_id]
    assert channel_order["shipping"] == "4.95" and channel_order["payments"][0]["amount"] == "49.95"
    assert not se_sandbox.orders[order_id]["confirmed"], "no sale yet: never confirmed before the sale exists"
    assert result.counts["ready_for_export"] == 1


def test_an_unbalanced_order_waits_and_is_logged_once(se_tenant, se_sandbox, clock):
    book(se_tenant)
    order_id = se_sandbox.add_order(items=[{"gtin1": items(se_tenant)[0][0].upc}], paid=False)
    for _ in range(2):
        assert run(se_tenant, clock).counts["waiting_unbalanced"] == 1
    assert ledger(se_tenant, order_id).details["waiting"] == "unbalanced"
    assert len(messages_of(se_tenant, order_id)) == 1 and "0.00 of" in messages_of(se_tenant, order_id)[0]
    se_sandbox.order_capture(order_id)
    run(se_tenant, clock)
    assert ledger(se_tenant, order_id).details["ready"]


def test_with_export_when_fulfilled_a_partly_fulfilled_order_waits(se_tenant, se_sandbox, clock):
    book(se_tenant)
    SmartEtailingSettings.objects.for_tenant(se_tenant).update(export_when_fulfilled=True)
    (first, second), _ = items(se_tenant)
    order_id = se_sandbox.add_order(items=[{"gtin1": first.upc}, {"gtin1": second.upc}], fulfilled=[True, False])
    assert run(se_tenant, clock).counts["waiting_unfulfilled"] == 1
    se_sandbox.order_fulfil(order_id)
    run(se_tenant, clock)
    assert ledger(se_tenant, order_id).details.get("ready")


def test_an_unknown_item_needs_attention_and_the_others_go_on(se_tenant, se_sandbox, clock):
    book(se_tenant)
    upc = items(se_tenant)[0][0].upc
    bad = se_sandbox.add_order(items=[{"gtin1": upc}, {"gtin1": "000000000000", "description": "Mystery"}])
    good = se_sandbox.add_order(items=[{"gtin1": upc}])
    result = run(se_tenant, clock)
    assert result.status == "succeeded"
    row = ledger(se_tenant, bad)
    assert row.state == "failed" and "Mystery" in row.last_error and "nothing was written" in row.last_error
    assert "channel_order" not in row.details
    assert [line["sku"] for line in row.details["unmatched_lines"]] == ["000000000000"]
    assert ledger(se_tenant, good).details["ready"]


def test_malformed_xml_is_logged_on_that_order_and_the_others_go_on(se_tenant, se_sandbox, clock):
    book(se_tenant)
    good = se_sandbox.add_order(items=[{"gtin1": items(se_tenant)[0][0].upc}])
    se_sandbox.add_raw_order("<WebOrder><Order><OrderId>BROKEN-7</OrderId><Items></Order></WebOrder>", "BROKEN-7")
    result = run(se_tenant, clock)
    assert result.status in ("partial", "succeeded")
    assert ledger(se_tenant, "BROKEN-7").state == "failed"
    assert "cannot be read" in messages_of(se_tenant, "BROKEN-7")[0]
    assert ledger(se_tenant, good).details["ready"]
    assert not se_sandbox.orders["BROKEN-7"]["confirmed"], "nothing lost: it stays listed in SmartEtailing"


def test_a_zero_quantity_and_a_missing_email(se_tenant, se_sandbox, clock):
    book(se_tenant)
    upc = items(se_tenant)[0][0].upc
    zero = se_sandbox.add_order(items=[{"gtin1": upc}])
    se_sandbox.orders[zero]["items"][0]["quantity"] = 0
    no_email = se_sandbox.add_order(items=[{"gtin1": upc}], customer={"first": "No", "last": "Mail", "full": "No Mail"})
    run(se_tenant, clock)
    assert "the quantity is 0" in ledger(se_tenant, zero).last_error
    assert ledger(se_tenant, no_email).details["channel_order"]["customer"]["email"] == ""
    run(se_tenant, clock)
    assert [m for m in messages_of(se_tenant, no_email) if "no e-mail address" in m] and len(
        [m for m in messages_of(se_tenant, no_email) if "no e-mail address" in m]) == 1, "logged once"


def test_a_wrong_url_key_pauses_the_job_with_what_to_do(se_tenant, se_sandbox, clock):
    SmartEtailingSettings.objects.for_tenant(se_tenant).update(url_key="WRONG")
    result = run(se_tenant, clock)
    assert result.status == "failed" and "refused the merchant id and URL key" in result.error
    assert "WRONG" not in result.error


def test_an_order_with_a_sale_is_confirmed_and_its_status_set(se_tenant, se_sandbox, clock):
    book(se_tenant)
    SmartEtailingSettings.objects.for_tenant(se_tenant).update(status_after_export="Shipped")
    order_id = se_sandbox.add_order(items=[{"gtin1": items(se_tenant)[0][0].upc}])
    run(se_tenant, clock)
    OrderLedger.objects.for_tenant(se_tenant).filter(external_id=order_id).update(sale_id="123", state="sale_created")
    assert run(se_tenant, clock).counts["confirmed"] == 1
    assert se_sandbox.orders[order_id]["confirmed"] and se_sandbox.orders[order_id]["status"] == "Shipped"
    assert ledger(se_tenant, order_id).state == "accepted"
    assert [a["action"] for a in se_sandbox.actions] == ["confirm", "status"]


def _with_sale(tenant, se_sandbox, clock):
    book(tenant)
    order_id = se_sandbox.add_order(items=[{"gtin1": items(tenant)[0][0].upc}])
    run(tenant, clock)
    OrderLedger.objects.for_tenant(tenant).filter(external_id=order_id).update(sale_id="123", state="sale_created")
    return order_id


def test_a_lost_update_order_answer_is_retried_in_the_same_run(se_tenant, se_sandbox, clock):
    order_id = _with_sale(se_tenant, se_sandbox, clock)
    se_sandbox.inject_fault("drop_update_order")
    assert run(se_tenant, clock).status == "succeeded"
    assert [a["action"] for a in se_sandbox.actions] == ["confirm", "confirm"]
    assert ledger(se_tenant, order_id).state == "accepted"


def test_a_lost_update_order_answer_confirms_again_next_run_and_never_exports_twice(se_tenant, se_sandbox, clock):
    order_id = _with_sale(se_tenant, se_sandbox, clock)
    se_sandbox.inject_fault("drop_update_order", times=10)
    first = run(se_tenant, clock)
    assert first.status == "succeeded" and first.counts["confirm_pending"] == 1, "the other orders go on"
    assert se_sandbox.orders[order_id]["confirmed"], "SmartEtailing has it; only the answers were lost"
    assert ledger(se_tenant, order_id).state == "sale_created"
    se_sandbox.faults.clear()
    second = run(se_tenant, clock)  # no longer listed: confirmed once more, idempotently
    assert second.status == "succeeded" and second.counts["confirmed"] == 1
    rows = OrderLedger.objects.for_tenant(se_tenant).filter(channel="smartetailing", external_id=order_id)
    assert rows.count() == 1 and rows.get().sale_id == "123" and rows.get().state == "accepted"


def test_export_off_reads_nothing(se_tenant, se_sandbox, clock):
    SmartEtailingSettings.objects.for_tenant(se_tenant).update(export_orders=False)
    se_sandbox.add_order()
    assert run(se_tenant, clock).status == "succeeded"
    assert not se_sandbox.request_log


def test_a_refused_status_is_logged_once_and_the_order_stays_confirmed(se_tenant, se_sandbox, clock):
    SmartEtailingSettings.objects.for_tenant(se_tenant).update(status_after_export="Shipped")
    order_id = _with_sale(se_tenant, se_sandbox, clock)
    original = se_sandbox.order_status_set

    def refuse(order_id, status):
        from channels.smartetailing.sandbox.app import Problem

        raise Problem(400, f"Unknown status {status!r}")
    se_sandbox.order_status_set = refuse
    try:
        assert run(se_tenant, clock).status == "succeeded"
    finally:
        se_sandbox.order_status_set = original
    row = ledger(se_tenant, order_id)
    assert row.state == "accepted" and "Unknown status" in row.details["status_error"]
    assert any("refused the status" in m for m in messages_of(se_tenant, order_id))
