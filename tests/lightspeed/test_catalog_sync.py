"""The mirror jobs against the sandbox: full, incremental (items and stock apart), dry run."""
from decimal import Decimal

from connector.runs import run_job
from connector.models import SyncCursor
from lightspeed.models import Category, Item, ItemPrice, ItemStock, Register, Shop

from .conftest import api_requests


def sync(tenant, clock, **kwargs):
    run = run_job(tenant=tenant, job="lightspeed.catalog_sync", clock=clock, **kwargs)
    assert run.status == "succeeded", run.error or run.traceback
    return run


def test_full_sync_mirrors_items_prices_stock_and_names(connected, tenant, sandbox, clock):
    sync(tenant, clock)
    items = Item.objects.for_tenant(tenant)
    assert items.count() == len(sandbox.state.items)
    source = next(i for i in sandbox.state.items.values() if i.item_matrix_id and i.note and i.manufacturer_id)
    mirrored = items.get(ls_id=source.item_id)
    assert (mirrored.color, mirrored.size) == (source.color, source.size)
    assert mirrored.note == source.note and mirrored.custom_sku == source.custom_sku
    assert mirrored.category_name == sandbox.state.categories[source.category_id].full_path_name
    assert mirrored.manufacturer_name == sandbox.state.manufacturers[source.manufacturer_id].name
    prices = dict(ItemPrice.objects.for_tenant(tenant).filter(item=mirrored).values_list("price_level_ls_id", "amount"))
    assert prices[1] == Decimal(source.prices[0]) / 100
    stock = dict(ItemStock.objects.for_tenant(tenant).filter(item=mirrored).values_list("shop_ls_id", "qoh"))
    expected = {row.shop_id: row.qoh for row in sandbox.state.item_shops_by_item[source.item_id]}
    assert stock == expected and 0 in stock
    assert Shop.objects.for_tenant(tenant).count() == 2 and Register.objects.for_tenant(tenant).count() == 3
    assert Category.objects.for_tenant(tenant).filter(full_path__contains="/").exists()
    assert items.filter(archived=True).count() == sum(1 for i in sandbox.state.items.values() if i.archived)


def test_incremental_sync_with_nothing_changed_costs_at_most_three_requests(connected, tenant, sandbox, clock):
    sync(tenant, clock)
    clock.advance(300)
    before = len(api_requests(sandbox))
    run = sync(tenant, clock)
    assert len(api_requests(sandbox)) - before <= 3
    assert run.counts.get("items.changed", 0) == 0 and run.counts.get("stock.changed", 0) == 0


def test_a_stock_change_is_picked_up_though_the_item_timestamp_did_not_move(connected, tenant, sandbox, clock):
    sync(tenant, clock)
    clock.advance(60)
    item_id = next(iter(sandbox.state.items))
    stamp = sandbox.state.items[item_id].time_stamp
    sandbox.set_stock(item_id, 1, 77)
    assert sandbox.state.items[item_id].time_stamp == stamp
    sync(tenant, clock)
    assert ItemStock.objects.for_tenant(tenant).get(item__ls_id=item_id, shop_ls_id=1).qoh == 77


def test_a_change_in_the_same_second_as_the_cursor_is_not_lost(connected, tenant, sandbox, clock):
    from lightspeed.client import lightspeed_client

    sync(tenant, clock)
    clock.advance(30)
    first, second = list(sandbox.state.items)[:2]
    with lightspeed_client(tenant, clock=clock) as client:
        client.put(f"Item/{first}", {"description": "First change"})
        sync(tenant, clock)  # the cursor is now this very second
        client.put(f"Item/{second}", {"description": "Same second"})
        sandbox.set_stock(second, 1, 5)
    sync(tenant, clock)
    items = Item.objects.for_tenant(tenant)
    assert items.get(ls_id=first).description == "First change"
    assert items.get(ls_id=second).description == "Same second"
    assert ItemStock.objects.for_tenant(tenant).get(item__ls_id=second, shop_ls_id=1).qoh == 5


def test_full_resync_on_demand_repairs_the_mirror(connected, tenant, sandbox, clock):
    sync(tenant, clock)
    Item.objects.for_tenant(tenant).update(description="tampered")
    clock.advance(60)
    sync(tenant, clock)
    assert Item.objects.for_tenant(tenant).filter(description="tampered").count() == len(sandbox.state.items)
    sync(tenant, clock, params={"full": "1"})
    assert not Item.objects.for_tenant(tenant).filter(description="tampered").exists()


def test_dry_run_writes_nothing(connected, tenant, sandbox, clock):
    run = sync(tenant, clock, dry_run=True)
    assert run.counts["items.read"] == len(sandbox.state.items)
    assert not Item.objects.for_tenant(tenant).exists() and not Shop.objects.for_tenant(tenant).exists()
    assert not SyncCursor.objects.for_tenant(tenant).exclude(value=None).exists()


def test_color_and_size_follow_the_attribute_set_names_not_positions(connected, tenant, sandbox, clock):
    matrix = next(iter(sandbox.state.item_matrices.values()))
    matrix.item_attribute_set_id = 2  # the system "Size" set: attributeName1 "", attributeName2 "Size"
    sandbox.state.touch()
    sync(tenant, clock)
    variant = sandbox.state.items[sandbox.state.items_by_matrix[matrix.item_matrix_id][0]]
    mirrored = Item.objects.for_tenant(tenant).get(ls_id=variant.item_id)
    assert (mirrored.color, mirrored.size) == ("", variant.size) and variant.size


def test_the_jobs_that_follow_the_catalog_run_after_a_sync_that_changed_something_only(connected, tenant, sandbox,
                                                                                        clock):
    from connector.registry import followers_of
    from connector.schedules import schedule_enable

    for job in followers_of("lightspeed.catalog_sync"):
        schedule_enable(tenant=tenant, job=job)
    assert sync(tenant, clock).followers  # the first sync writes the whole catalog
    clock.advance(300)
    assert sync(tenant, clock).followers == []  # nothing changed: nothing to rebuild
    clock.advance(60)
    sandbox.set_stock(next(iter(sandbox.state.items)), 1, 5)
    assert sorted(sync(tenant, clock).followers) == sorted(followers_of("lightspeed.catalog_sync"))


def test_full_sync_mirrors_default_cost_on_order_and_reorder_settings(connected, tenant, sandbox, clock):
    sync(tenant, clock)
    shops = [s for rows in sandbox.state.item_shops_by_item.values() for s in rows if s.shop_id]
    assert any(s.backorder for s in shops) and any(s.reorder_point for s in shops)  # the seed is not all zeros
    expected = {(s.item_id, s.shop_id): (s.backorder, s.reorder_point, s.reorder_level) for s in shops}
    mirrored = {(item, shop): (b, p, lv) for item, shop, b, p, lv in ItemStock.objects.for_tenant(tenant)
                .exclude(shop_ls_id=0).values_list("item__ls_id", "shop_ls_id", "backorder", "reorder_point",
                                                   "reorder_level")}
    assert mirrored == expected
    source = next(i for i in sandbox.state.items.values() if i.default_cost % 100)
    assert Item.objects.for_tenant(tenant).get(ls_id=source.item_id).default_cost == Decimal(source.default_cost) / 100


def test_an_incremental_stock_read_updates_on_order_and_reorder_settings(connected, tenant, sandbox, clock):
    sync(tenant, clock)
    clock.advance(60)
    item_id = next(iter(sandbox.state.items))
    with sandbox.state.lock:
        row = next(s for s in sandbox.state.item_shops_by_item[item_id] if s.shop_id == 1)
        row.backorder, row.reorder_point, row.reorder_level, row.time_stamp = 4, 3, 12, sandbox.timestamp()
    sync(tenant, clock)
    stock = ItemStock.objects.for_tenant(tenant).get(item__ls_id=item_id, shop_ls_id=1)
    assert (stock.backorder, stock.reorder_point, stock.reorder_level) == (4, 3, 12)
