"""Issue 15 §15: the order page shows the items, the totals and the customer's name, and links to the records
a person can open (the sandboxes in the demo) instead of bare numbers."""
from decimal import Decimal

import pytest
from django.urls import reverse

from channels.miinto.order_view import miinto_order_view
from connector.models import OrderLedger

pytestmark = pytest.mark.django_db

TRANSFER = {"id": 77, "currency": "DKK",
            "pendingPositions": [{"id": 1, "quantity": 2, "price": 49900, "item": {"gtin": "5700000000001",
                                                                                    "name": "Runner, blue 42"}},
                                 {"id": 2, "quantity": 1, "price": 1000, "item": {"gtin": "5700000000002"}}],
            "billingInformation": {"name": "Ida Berg", "email": "ida@example.com"}}


@pytest.fixture
def order(owner):
    return OrderLedger.objects.for_tenant(owner.tenant).create(
        tenant=owner.tenant, channel="miinto", external_id="77", state="sale_created", sale_id="4",
        customer_id="44", reference="MIINTO-77", payload=TRANSFER)


def test_the_view_reads_lines_totals_and_customer(order):
    view = miinto_order_view(order=order)
    assert [(line.title, line.quantity, line.total) for line in view.lines] == [
        ("Runner, blue 42", 2, Decimal("998.00")), ("5700000000002", 1, Decimal("10.00"))]
    assert view.total == Decimal("1008.00") and view.currency == "DKK" and view.customer_name == "Ida Berg"


def test_the_page_shows_them_with_links(owner_client, order, settings):
    html = owner_client.get(reverse("order", args=[order.pk])).content.decode()
    assert "Runner, blue 42" in html and "1008.00" in html and "DKK" in html
    assert "Ida Berg" in html and "Lightspeed customer #44" in html and "Sale #4" in html
    assert f'href="{settings.MIINTO_ORDER_URL.rstrip("/")}/sandbox/"' in html
    assert "Miinto order 77" in html


def test_an_unreadable_payload_still_shows_the_ledger(owner_client, owner):
    bad = OrderLedger.objects.for_tenant(owner.tenant).create(tenant=owner.tenant, channel="miinto",
                                                              external_id="78", state="failed", payload={"x": 1})
    response = owner_client.get(reverse("order", args=[bad.pk]))
    assert response.status_code == 200 and "data-order-lines" not in response.content.decode()


def test_a_position_without_a_name_takes_the_catalog_items(order):
    from tests.channels.miinto.feed_mirror import mirror_items

    mirror_items(order.tenant, [dict(ean="5700000000002", description="Wool socks")])
    assert [line.title for line in miinto_order_view(order=order).lines] == ["Runner, blue 42", "Wool socks"]


def test_the_orders_table_names_each_channel_by_its_own_title(owner_client, owner):
    from connector.channels import channels_selling
    from connector.models import OrderLedger

    for channel in channels_selling():
        OrderLedger.unscoped.create(tenant=owner.tenant, channel=channel.key, external_id=f"T-{channel.key}")
    html = owner_client.get("/orders/").content.decode()
    for channel in channels_selling():
        assert f">{channel.title}</td>" in html
