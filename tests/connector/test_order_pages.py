"""The owner's orders pages show what needs a person: an extra sale, lines not on the sale, an unstorable order."""
from connector.models import OrderLedger
from connector.orders import ledger_attention, ledger_get_or_create


def make_orders(tenant):
    ok = OrderLedger.objects.create(tenant=tenant, channel="shopx", external_id="OK-1", state="sale_created",
                                    sale_id="11", sale_ids=["11"])
    flagged = OrderLedger.objects.create(
        tenant=tenant, channel="shopx", external_id="TWO-SALES", state="sale_created", sale_id="12",
        sale_ids=["12", "13"], details={"extra_sales": [{"sale_id": "13", "action": "flagged", "completed": True}],
                                        "unmatched_lines": [{"sku": "GONE-1", "title": "Cap", "quantity": 1,
                                                             "unit_price": "9.00", "external_id": "p1"}]})
    ledger_attention(flagged, "a second, completed Lightspeed sale 13 has reference X-2: refund or void 13")
    poisoned, _ = ledger_get_or_create(tenant=tenant, channel="shopx", external_id="BAD-\x00", payload={"a": "\x00"})
    return ok, flagged, poisoned


def test_orders_page_lists_and_filters_what_needs_attention(owner, owner_client):
    ok, flagged, poisoned = make_orders(owner.tenant)
    page = owner_client.get("/orders/").content.decode()
    assert "2 orders need attention" in page and "refund or void 13" in page
    assert "could not be stored as received" in page
    only = owner_client.get("/orders/?attention=1").content.decode()
    assert "TWO-SALES" in only and poisoned.external_id in only and "OK-1" not in only


def test_order_page_names_the_extra_sale_and_the_lines_not_on_the_sale(owner, owner_client):
    _, flagged, _ = make_orders(owner.tenant)
    page = owner_client.get(f"/orders/{flagged.pk}/").content.decode()
    assert "Needs attention" in page and "12, 13" in page
    assert "13 (completed: refund or void it in Lightspeed)" in page
    assert "GONE-1 Cap × 1 at 9.00" in page


def test_support_admin_filters_the_orders_that_need_attention(owner, client, django_user_model):
    make_orders(owner.tenant)
    staff = django_user_model.objects.create_superuser("support", "support@example.com", "pw-support-1")
    client.force_login(staff)
    page = client.get("/admin/connector/orderledger/", {"attention": "yes"}).content.decode()
    assert "TWO-SALES" in page and "OK-1" not in page
