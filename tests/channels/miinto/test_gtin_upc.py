"""Issue 15 §10: a UPC-only item's gtin is its UPC (a UPC-A is a valid GTIN-12), not Lightspeed's systemSku;
Miinto orders are matched the same way: EAN, then UPC, then systemSku."""
import pytest

from channels.miinto.feed import feed_scan
from channels.miinto.selectors import items_by_gtin
from channels.miinto.services import miinto_settings_get_or_create

from .feed_mirror import mirror_basics, mirror_items

pytestmark = pytest.mark.django_db


@pytest.fixture
def items(tenant):
    mirror_basics(tenant)
    return mirror_items(tenant, [
        dict(ean="5700000000001", upc="070000000001", description="both"),
        dict(upc="070000008405", description="upc only"),
        dict(description="neither"),
    ])


def test_the_feed_gtin_is_ean_then_upc_then_system_sku(tenant, items):
    rows = list(feed_scan(tenant=tenant, settings=miinto_settings_get_or_create(tenant=tenant)))
    assert [row[1] for row in rows] == ["5700000000001", "070000008405", items[2].system_sku]


def test_orders_match_by_ean_then_upc_then_system_sku(tenant, items):
    found = items_by_gtin(tenant, ["5700000000001", "070000008405", "0070000008405", items[2].system_sku, "999"])
    assert found == {"5700000000001": items[0].ls_id, "070000008405": items[1].ls_id,
                     "0070000008405": items[1].ls_id, items[2].system_sku: items[2].ls_id}
