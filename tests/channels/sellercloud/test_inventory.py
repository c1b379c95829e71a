"""Inventory, price and cost upload (Sellercloud -> Lightspeed) against both sandboxes, and auto-create."""
import json

import pytest

from channels.sellercloud.models import SellercloudProduct, SellercloudSettings, SellercloudShop
from channels.sellercloud.services import sellercloud_settings_update
from connector.http import transport_overrides
from connector.models import SyncEvent
from connector.runs import run_job
from lightspeed.models import Item

from .conftest import BACKROOM, MAIN

JOB = "sellercloud.inventory_upload"


class Bodies:
    """Wraps the Lightspeed sandbox's transport and keeps each write's (method, path, JSON body)."""

    def __init__(self, inner):
        self.inner, self.writes = inner, []

    def handle_request(self, request):
        if request.method in ("POST", "PUT"):
            self.writes.append((request.method, request.url.path, json.loads(request.content or b"{}")))
        return self.inner.handle_request(request)


@pytest.fixture
def ls_writes():
    bodies = Bodies(transport_overrides["lightspeed"])
    transport_overrides["lightspeed"] = bodies
    yield bodies
    transport_overrides["lightspeed"] = bodies.inner


def qoh(ls_sandbox, item_id, shop_id):
    return next((r.qoh for r in ls_sandbox.state.item_shops_by_item[item_id] if r.shop_id == shop_id), None)


def run(tenant, clock):
    result = run_job(tenant=tenant, job=JOB, clock=clock)
    assert result.status in ("succeeded", "partial"), result.error
    return result


def test_the_mapped_warehouses_stock_becomes_the_shop_s_qoh_and_only_changes_are_written(
        sc_tenant, sc, linked, ls_sandbox, ls_writes, clock):
    SellercloudShop.objects.create(tenant=sc_tenant, shop_ls_id=2, warehouse_ids=[MAIN, BACKROOM])
    sc.stock_set("SKU-1", BACKROOM, 5)
    run(sc_tenant, clock)
    item = linked[0].ls_id
    assert qoh(ls_sandbox, item, 1) == 10 and qoh(ls_sandbox, item, 2) == 15
    assert len(ls_writes.writes) == 3  # one PUT per linked item, every shop in it
    clock.advance(60)
    sc.stock_set("SKU-1", MAIN, 3)
    writes = len(ls_writes.writes)
    run(sc_tenant, clock)
    assert qoh(ls_sandbox, item, 1) == 3 and qoh(ls_sandbox, item, 2) == 8
    assert len(ls_writes.writes) == writes + 1  # only the changed item
    clock.advance(60)
    run(sc_tenant, clock)
    assert len(ls_writes.writes) == writes + 1  # an unchanged catalog costs no Lightspeed writes


def test_price_and_cost_follow_their_switches(sc_tenant, sc, linked, ls_sandbox, ls_writes, clock):
    run(sc_tenant, clock)
    assert not any("Prices" in body or "defaultCost" in body for _, _, body in ls_writes.writes)
    sellercloud_settings_update(tenant=sc_tenant, price_upload=True, cost_upload=True)
    clock.advance(60)
    sc.product_update("SKU-2", SitePrice="12.50", SiteCost="5.25")
    before = len(ls_writes.writes)
    run(sc_tenant, clock)  # switching them on made the next upload compare every product
    bodies = {path.rsplit("/", 1)[-1]: body for _, path, body in ls_writes.writes[before:]}
    assert len(bodies) == 3
    body = bodies[f"{linked[1].ls_id}.json"]
    assert body["Prices"]["ItemPrice"] == [{"amount": "12.5000", "useTypeID": "1"}]
    assert body["defaultCost"] == "5.2500" and bodies[f"{linked[0].ls_id}.json"]["defaultCost"] == "4.0000"
    item = ls_sandbox.state.items[linked[1].ls_id]
    assert item.default_cost == 525 and item.prices[0] == 1250  # the Lightspeed sandbox has them (cents)
    clock.advance(60)
    run(sc_tenant, clock)
    assert len(ls_writes.writes) == before + 3


def test_inventory_upload_off_writes_no_qoh(sc_tenant, sc, linked, ls_writes, clock):
    SellercloudSettings.objects.for_tenant(sc_tenant).update(inventory_upload=False)
    run(sc_tenant, clock)
    assert not any("ItemShops" in body for _, _, body in ls_writes.writes)


def test_a_product_matching_an_item_is_linked_and_an_enabled_new_one_is_created_once(
        sc_tenant, sc, ls_sandbox, ls_writes, clock):
    SellercloudSettings.objects.for_tenant(sc_tenant).update(auto_create_products=True)
    match = Item.objects.for_tenant(sc_tenant).exclude(upc="").filter(archived=False).order_by("ls_id").first()
    sc.product_add("SC-MATCH", name="Matches", upc=match.upc, price="9", cost="3", lightspeed=True)
    sc.product_add("SC-NEW", name="Brand new", upc="899999000017", ean="", price="24.00", cost="9.00",
                   lightspeed=True)
    sc.product_add("SC-OFF", name="Not for Lightspeed", upc="899999000024", lightspeed=False)
    sc.stock_set("SC-NEW", MAIN, 4)
    items_before = len(ls_sandbox.state.items)
    result = run(sc_tenant, clock)
    products = {p.sku: p for p in SellercloudProduct.objects.for_tenant(sc_tenant)}
    assert products["SC-MATCH"].item_ls_id == match.ls_id and products["SC-MATCH"].link == "matched"
    assert products["SC-NEW"].link == "created" and products["SC-OFF"].item_ls_id is None
    assert len(ls_sandbox.state.items) == items_before + 1
    created = ls_sandbox.state.items[products["SC-NEW"].item_ls_id]
    assert (created.custom_sku, created.upc, created.description) == ("SC-NEW", "899999000017", "Brand new")
    assert qoh(ls_sandbox, created.item_id, 1) == 4
    assert result.counts["items_created"] == 1
    clock.advance(60)
    sc.product_update("SC-NEW", ProductName="Brand new (renamed)")
    run(sc_tenant, clock)
    assert len(ls_sandbox.state.items) == items_before + 1  # the link is kept: never created twice


def test_auto_enable_marks_new_products_enabled(sc_tenant, sc, ls_sandbox, clock):
    SellercloudSettings.objects.for_tenant(sc_tenant).update(auto_enable_new_products=True)
    run(sc_tenant, clock)  # the first read: what exists already is not "new"
    clock.advance(60)
    sc.product_add("LATER", name="Added later", lightspeed=False)
    run(sc_tenant, clock)
    assert SellercloudProduct.objects.for_tenant(sc_tenant).get(sku="LATER").lightspeed_enabled


def test_a_lightspeed_change_since_the_upload_is_logged_and_sellercloud_wins(sc_tenant, sc, linked, ls_sandbox,
                                                                            clock):
    from lightspeed.models import ItemStock

    run(sc_tenant, clock)
    ItemStock.objects.for_tenant(sc_tenant).filter(item__ls_id=linked[0].ls_id, shop_ls_id=1).update(qoh=4)
    clock.advance(60)
    sc.stock_set("SKU-1", MAIN, 11)
    result = run(sc_tenant, clock)
    warning = SyncEvent.objects.for_tenant(sc_tenant).get(run=result, level="warning")
    assert "SKU-1" in warning.message and "wins" in warning.message
    assert qoh(ls_sandbox, linked[0].ls_id, 1) == 11


def test_a_shop_with_no_warehouse_receives_nothing(sc_tenant, sc, linked, ls_sandbox, ls_writes, clock):
    before = qoh(ls_sandbox, linked[0].ls_id, 2)
    SellercloudShop.objects.create(tenant=sc_tenant, shop_ls_id=2, warehouse_ids=[])
    run(sc_tenant, clock)
    assert qoh(ls_sandbox, linked[0].ls_id, 2) == before
    shops = {row.get("shopID") or row.get("itemShopID") for _, _, body in ls_writes.writes
             for row in body.get("ItemShops", {}).get("ItemShop", [])}
    assert ls_writes.writes and "2" not in shops


def test_a_product_without_sku_is_logged_and_the_rest_go_on(sc_tenant, sc, linked, ls_sandbox, clock):
    sc.products[""] = {**sc.products["SKU-3"], "ID": ""}  # a row without a SKU
    result = run(sc_tenant, clock)
    assert result.counts["skipped"] == 1 and qoh(ls_sandbox, linked[0].ls_id, 1) == 10
