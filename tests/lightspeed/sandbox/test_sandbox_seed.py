"""Seeding: deterministic, prefix-stable across sizes, with the data shapes the sync and Miinto rely on."""
from lightspeed.sandbox.seed import build_state, ean13

NOW = 1_790_000_000


def catalog(items, seed=1):
    return build_state(items=items, shops=3, registers=4, seed=seed, now=NOW)


def fingerprint(item):
    return (item.description, item.ean, item.upc, item.custom_sku, item.prices, item.time_stamp)


def test_same_seed_same_catalog_and_smaller_catalogs_are_a_prefix():
    small, big = catalog(200), catalog(1000)
    assert all(fingerprint(small.items[i]) == fingerprint(big.items[i]) for i in small.items)
    assert fingerprint(catalog(200, seed=2).items[1]) != fingerprint(small.items[1])


def test_catalog_shapes():
    state = catalog(2000)
    items = list(state.items.values())
    assert len(items) == 2000
    assert sum(1 for i in items if i.item_matrix_id) > 1000 and any(not i.item_matrix_id for i in items)
    eans = [i.ean for i in items if i.ean]
    assert len(eans) > 1200 and all(len(e) == 13 and ean13(int(e[:12])) == e for e in eans)
    assert len(set(eans)) == len(eans)
    assert any(i.upc for i in items) and any(i.note for i in items) and any(i.archived for i in items)
    assert len({i.time_stamp for i in items}) > 1500  # spread out: incremental sync is meaningful
    summary_ok = all(
        next(r.qoh for r in rows if r.shop_id == 0) == sum(r.qoh for r in rows if r.shop_id)
        for rows in state.item_shops_by_item.values())
    assert summary_ok
    assert [r.name for r in state.registers.values()][-1] == "Miinto"
    assert any(e.first_name == "Miinto" for e in state.employees.values())
    assert len(state.price_levels) >= 3 and len(state.payment_types) >= 4 and state.customers
