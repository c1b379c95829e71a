"""Products one way, customers both ways, checkouts (PROVISIONAL contract, docs/buckles.md)."""
import pytest

from channels.buckles.mapping import item_sku
from channels.buckles.models import BucklesLink, BucklesSettings
from connector.runs import run_job
from lightspeed.models import Customer, Item

pytestmark = pytest.mark.django_db


def run(tenant, clock, job):
    result = run_job(tenant=tenant, job=f"buckles.{job}", clock=clock)
    assert result.status in ("succeeded", "partial"), result.error
    return result


def test_provisional_items_go_to_buckles_once_and_again_when_changed(buckles_tenant, buckles_sandbox, clock, items):
    first = run(buckles_tenant, clock, "products_push")
    with_sku = [i for i in items if item_sku(i)]
    assert first.counts["products_sent"] == len(with_sku)
    assert run(buckles_tenant, clock, "products_push").counts.get("products_sent", 0) == 0
    Item.objects.for_tenant(buckles_tenant).filter(pk=with_sku[0].pk).update(description="Renamed jacket")
    assert run(buckles_tenant, clock, "products_push").counts["products_sent"] == 1
    assert buckles_sandbox.products[item_sku(with_sku[0])]["title"] == "Renamed jacket"


def test_provisional_a_product_buckles_already_has_is_linked_by_barcode_not_created(buckles_tenant, buckles_sandbox,
                                                                                   clock, items):
    item = next(i for i in items if item_sku(i) and i.ean)
    buckles_sandbox.product_add(sku="OTHER-CHANNEL-SKU", barcode=item.ean, title="Made by another connection")
    before = len(buckles_sandbox.products)
    run(buckles_tenant, clock, "products_push")
    link = BucklesLink.objects.for_tenant(buckles_tenant).get(kind="product", ls_id=item.ls_id)
    assert link.linked_existing and link.key == "OTHER-CHANNEL-SKU"
    assert "OTHER-CHANNEL-SKU" in buckles_sandbox.products and item_sku(item) not in buckles_sandbox.products
    assert len(buckles_sandbox.products) == before + len([i for i in items if item_sku(i)]) - 1


def test_provisional_customers_go_to_buckles_and_buckles_changes_come_back_without_echo(
        buckles_tenant, buckles_sandbox, ls_sandbox, clock, customer):
    run(buckles_tenant, clock, "customers_push")
    sent = buckles_sandbox.customers[("lightspeed", str(customer.ls_id))]
    assert sent["email"] == customer.email
    buckles_sandbox.emit("customer.updated", {"email": customer.email.upper(), "first_name": "Idunn",
                                              "last_name": customer.last_name, "phone": None})
    result = run(buckles_tenant, clock, "events_apply")
    assert result.counts["customers_updated"] == 1
    assert ls_sandbox.state.customers[customer.ls_id].first_name == "Idunn"
    assert Customer.objects.for_tenant(buckles_tenant).get(pk=customer.pk).first_name == "Idunn"
    assert run(buckles_tenant, clock, "customers_push").counts.get("customers_sent", 0) == 0  # no echo


def test_provisional_a_customer_only_buckles_knows_changes_nothing(buckles_tenant, buckles_sandbox, ls_sandbox, clock,
                                                                   customer):
    buckles_sandbox.emit("customer.updated", {"email": "stranger@example.com", "first_name": "X"})
    result = run(buckles_tenant, clock, "events_apply")
    assert result.counts["events_ignored"] == 1
    assert not [r for r in ls_sandbox.request_log if r["method"] == "PUT"]


def test_provisional_open_unpaid_sales_are_checkouts(buckles_tenant, buckles_sandbox, clock, mirror_sale, items,
                                                     customer):
    from django.utils import timezone

    mirror_sale(buckles_tenant, 801, lines=[(items[0], 2, "5.00")], completed=False, paid="0", customer=customer,
                when=timezone.now())
    mirror_sale(buckles_tenant, 802, lines=[(items[0], 1, "5.00")], when=timezone.now())  # an order, not a checkout
    result = run(buckles_tenant, clock, "checkouts_push")
    assert result.counts["checkouts_sent"] == 1
    assert buckles_sandbox.checkouts["801"]["customer_email"] == customer.email
    assert buckles_sandbox.checkouts["801"]["total"] == "10.00"
    run(buckles_tenant, clock, "checkouts_push")  # the same batch again: the same Idempotency-Key, one update
    assert len(buckles_sandbox.checkouts) == 1


def test_provisional_switched_off_parts_send_nothing(buckles_tenant, buckles_sandbox, clock, customer):
    BucklesSettings.objects.for_tenant(buckles_tenant).update(sync_products=False, sync_customers=False)
    run(buckles_tenant, clock, "products_push")
    run(buckles_tenant, clock, "customers_push")
    assert buckles_sandbox.customers == {}
    assert all(p["origin"] != "lightspeed" for p in buckles_sandbox.products.values())
