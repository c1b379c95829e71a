"""The pending-mappings report: items a connected location sends that lack a GTIN, an MPN or their MSRP,
as a page and a CSV download."""
import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from channels.smartetailing.models import SmartEtailingLocation, SmartEtailingSettings
from lightspeed.models import Item, ItemPrice, ItemStock, PriceLevel, Shop

pytestmark = pytest.mark.django_db

ITEMS = [  # (sku, upc, ean, mpn, msrp, qoh in shop 1, qoh in shop 2)
    ("A", "012345678905", "", "M-1", "10", 2, 0),    # complete
    ("B", "", "", "M-2", "10", 1, 0),                # no GTIN
    ("C", "", "5700000000017", "", "10", 1, 0),      # no MPN
    ("D", "012345678912", "", "M-4", None, 1, 0),    # no MSRP and no default cost
    ("E", "", "", "", None, 0, 0),                   # out of stock: not sent, not listed
    ("F", "", "", "", None, 0, 5),                   # in stock only in the unmapped shop: not listed
]


@pytest.fixture
def tenant(owner):
    tenant = owner.tenant
    for ls_id in (1, 2):
        Shop.objects.for_tenant(tenant).create(tenant=tenant, ls_id=ls_id, name=f"Shop {ls_id}")
    PriceLevel.objects.for_tenant(tenant).create(tenant=tenant, ls_id=2, name="MSRP")
    for n, (sku, upc, ean, mpn, msrp, qoh1, qoh2) in enumerate(ITEMS, start=1):
        item = Item.objects.for_tenant(tenant).create(tenant=tenant, ls_id=n, system_sku=sku, upc=upc, ean=ean,
                                                      manufacturer_sku=mpn, description=f"Item {sku}")
        if msrp:
            ItemPrice.objects.for_tenant(tenant).create(tenant=tenant, item=item, price_level_ls_id=2,
                                                        amount=Decimal(msrp))
        for shop, qoh in ((1, qoh1), (2, qoh2)):
            ItemStock.objects.for_tenant(tenant).create(tenant=tenant, item=item, item_shop_ls_id=n * 10 + shop,
                                                        shop_ls_id=shop, qoh=qoh)
    SmartEtailingSettings.objects.for_tenant(tenant).create(tenant=tenant)
    SmartEtailingLocation.objects.for_tenant(tenant).create(tenant=tenant, lightspeed_shop_ls_id=1,
                                                            neighborhood_descriptor="Newport, KY")
    return tenant


def test_the_page_lists_what_each_item_lacks(owner_client, tenant):
    html = owner_client.get(reverse("smartetailing:pending_mappings")).content.decode()
    assert '<tr data-missing="gtin">' in html and '<tr data-missing="mpn">' in html
    assert '<tr data-missing="cost_or_msrp">' in html and "Item A" not in html
    assert "Item E" not in html and "Item F" not in html
    assert "Manufact. SKU field" in html


def test_the_csv_has_every_row_with_its_fixes(owner_client, tenant):
    response = owner_client.get(reverse("smartetailing:pending_mappings_csv"))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [(r["POS SKU"], r["Missing"]) for r in rows] == [("B", "gtin"), ("C", "mpn"), ("D", "cost_or_msrp")]
    assert rows[0]["What to fill in"].startswith("Enter the UPC")


def test_without_the_stock_filter_out_of_stock_items_are_checked_too(owner_client, tenant):
    SmartEtailingSettings.objects.for_tenant(tenant).update(filter_on_hand=False)
    html = owner_client.get(reverse("smartetailing:pending_mappings")).content.decode()
    assert "Item E" in html and "Item F" in html  # both are in shop 1 with 0 on hand


def test_a_default_cost_is_enough_without_an_msrp(owner_client, tenant):
    Item.objects.for_tenant(tenant).filter(system_sku="D").update(default_cost=Decimal("4.50"))
    rows = list(csv.DictReader(io.StringIO(owner_client.get(reverse("smartetailing:pending_mappings_csv"))
                                           .content.decode())))
    assert [r["POS SKU"] for r in rows] == ["B", "C"]


def test_the_report_follows_the_on_order_filter(owner_client, tenant):
    SmartEtailingSettings.objects.for_tenant(tenant).update(filter_on_hand=False, filter_on_order=True)
    ItemStock.objects.for_tenant(tenant).filter(item__system_sku="E", shop_ls_id=1).update(backorder=3)
    rows = list(csv.DictReader(io.StringIO(owner_client.get(reverse("smartetailing:pending_mappings_csv"))
                                           .content.decode())))
    assert [(r["POS SKU"], r["Missing"]) for r in rows] == [("E", "gtin mpn cost_or_msrp")]
