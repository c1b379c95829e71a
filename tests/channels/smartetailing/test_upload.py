"""The inventory files, end to end: the Lightspeed mirror (synced from the Lightspeed sandbox) -> one file per
mapped location on the SmartEtailing sandbox's real FTP server, holding exactly the items the import
settings let through, with the chosen price levels."""
from datetime import timedelta
from decimal import Decimal

from channels.smartetailing.inventory import HEADER, inventory_file_name, inventory_file_render, InventoryRow
from channels.smartetailing.models import SmartEtailingLocation, SmartEtailingSettings
from connector.models import SyncCursor, SyncEvent
from connector.runs import run_job
from lightspeed.models import ItemPrice, ItemStock

JOB = "smartetailing.inventory_upload"
NEWPORT = "Newport, KY"


def expected(tenant, shop, *, in_stock_only=True):
    rows = ItemStock.objects.for_tenant(tenant).filter(shop_ls_id=shop, item__archived=False)
    if in_stock_only:
        rows = rows.filter(qoh__gt=0)
    return {r.item.system_sku: r.qoh for r in rows.select_related("item")}


def price(tenant, sku, level):
    row = ItemPrice.objects.for_tenant(tenant).filter(item__system_sku=sku, price_level_ls_id=level).first()
    return str(row.amount.quantize(Decimal("0.01"))) if row else ""


def test_each_mapped_location_gets_exactly_the_items_in_stock_and_no_prices_by_default(se_tenant, se_sandbox, clock):
    run = run_job(tenant=se_tenant, job=JOB, clock=clock)
    assert run.status == "succeeded", run.error
    upload = se_sandbox.uploads_last[NEWPORT]
    assert upload["file"] == inventory_file_name(NEWPORT) == "inventory_Newport%2C%20KY.csv"
    sent = {r["POS SKU"]: int(r["QOH"]) for r in upload["rows"]}
    assert sent == expected(se_tenant, 1) and sent
    assert {r["Regular Price"] for r in upload["rows"]} == {""}, "POS pricing off: no prices are sent"
    assert list(se_sandbox.uploads_last) == [NEWPORT], "shop 2 is not mapped: its stock is never sent"
    assert run.counts["files_uploaded"] == 1 and run.counts["items_sent"] == len(sent)


def test_the_file_holds_the_items_fields_and_the_chosen_price_levels(se_tenant, se_sandbox, clock):
    SmartEtailingSettings.objects.for_tenant(se_tenant).update(
        pos_pricing=True, regular_price_level_ls_id=1, sale_price_level_ls_id=3, filter_on_hand=False)
    assert run_job(tenant=se_tenant, job=JOB, clock=clock).status == "succeeded"
    rows = se_sandbox.uploads_last[NEWPORT]["rows"]
    assert {r["POS SKU"] for r in rows} == set(expected(se_tenant, 1, in_stock_only=False))
    stock = ItemStock.objects.for_tenant(se_tenant).filter(shop_ls_id=1).select_related("item")
    items = {s.item.system_sku: s.item for s in stock}
    for row in rows:
        item = items[row["POS SKU"]]
        assert (row["UPC"], row["EAN"], row["MPN"], row["Description"]) == (
            item.upc, item.ean, item.manufacturer_sku, item.description)
        assert (row["Brand"], row["Category"]) == (item.manufacturer_name, item.category_name)
        assert row["Regular Price"] == price(se_tenant, row["POS SKU"], 1)
        assert row["Sale Price"] == price(se_tenant, row["POS SKU"], 3)
        assert row["MSRP"] == price(se_tenant, row["POS SKU"], 2), "MSRP is the level named MSRP"
        assert row["Default Cost"] == str(item.default_cost.quantize(Decimal("0.01")))
    assert any(r["Regular Price"] for r in rows) and any(r["Default Cost"] != "0.00" for r in rows)


def test_the_file_holds_exactly_the_items_on_order_or_with_a_reorder_level(se_tenant, se_sandbox, clock):
    stock = ItemStock.objects.for_tenant(se_tenant).filter(shop_ls_id=1, item__archived=False)
    SmartEtailingSettings.objects.for_tenant(se_tenant).update(filter_on_hand=False, filter_on_order=True)
    assert run_job(tenant=se_tenant, job=JOB, clock=clock).status == "succeeded"
    on_order = {s.item.system_sku for s in stock.filter(backorder__gt=0).select_related("item")}
    assert {r["POS SKU"] for r in se_sandbox.uploads_last[NEWPORT]["rows"]} == on_order and on_order
    assert {r["Default Cost"] for r in se_sandbox.uploads_last[NEWPORT]["rows"]} == {""}, "pricing off: no money"
    config = SmartEtailingSettings.objects.for_tenant(se_tenant).get()
    config.filter_on_order, config.filter_reorder = False, True
    config.save()  # a saved setting changes what the file is made of
    assert run_job(tenant=se_tenant, job=JOB, clock=clock).status == "succeeded"
    reorder = {s.item.system_sku for s in stock.select_related("item") if s.reorder_point > 0 or s.reorder_level > 0}
    assert {r["POS SKU"] for r in se_sandbox.uploads_last[NEWPORT]["rows"]} == reorder and reorder


def test_two_locations_get_their_own_shops_stock(se_tenant, se_sandbox, clock):
    SmartEtailingLocation.objects.create(tenant=se_tenant, lightspeed_shop_ls_id=2,
                                         neighborhood_descriptor="Cincinnati, OH")
    assert run_job(tenant=se_tenant, job=JOB, clock=clock).status == "succeeded"
    for shop, name in ((1, NEWPORT), (2, "Cincinnati, OH")):
        assert {r["POS SKU"]: int(r["QOH"]) for r in se_sandbox.uploads_last[name]["rows"]} == expected(se_tenant, shop)


def test_no_file_when_nothing_changed_a_changed_item_is_sent_and_a_full_file_every_30_minutes(
        se_tenant, se_sandbox, clock):
    assert run_job(tenant=se_tenant, job=JOB, clock=clock).status == "succeeded"
    run = run_job(tenant=se_tenant, job=JOB, clock=clock)
    assert run.counts.get("files_uploaded", 0) == 0 and run.counts["unchanged"] == 1
    assert len(se_sandbox.uploads.received) == 1, "nothing changed: no FTP upload at all"
    stock = ItemStock.objects.for_tenant(se_tenant).filter(shop_ls_id=1, qoh__gt=0).select_related("item").first()
    ItemStock.objects.for_tenant(se_tenant).filter(pk=stock.pk).update(qoh=stock.qoh + 5)
    assert run_job(tenant=se_tenant, job=JOB, clock=clock).counts["unchanged"] == 1, "the cursors did not move"
    cursor = SyncCursor.objects.for_tenant(se_tenant).get(name="lightspeed.item_shop")
    cursor.value += timedelta(seconds=1)  # as the catalog sync does when it mirrors the change
    cursor.save()
    assert run_job(tenant=se_tenant, job=JOB, clock=clock).counts["files_uploaded"] == 1
    row = next(r for r in se_sandbox.uploads_last[NEWPORT]["rows"] if r["POS SKU"] == stock.item.system_sku)
    assert int(row["QOH"]) == stock.qoh + 5
    location = SmartEtailingLocation.objects.for_tenant(se_tenant).get()
    location.last_uploaded_at -= timedelta(minutes=31)
    location.save()
    assert run_job(tenant=se_tenant, job=JOB, clock=clock).counts["files_uploaded"] == 1  # the safety net
    assert len(se_sandbox.uploads.received) == 3


def test_a_wrong_ftp_password_pauses_with_a_clear_reason(se_tenant, se_sandbox, clock):
    SmartEtailingSettings.objects.for_tenant(se_tenant).update(ftp_password="wrong")
    run = run_job(tenant=se_tenant, job=JOB, clock=clock)
    assert run.status == "failed" and "refused account" in run.error and "wrong" not in run.error


def test_no_mapped_location_sends_nothing_and_says_so(se_tenant, se_sandbox, clock):
    SmartEtailingLocation.objects.for_tenant(se_tenant).delete()
    run = run_job(tenant=se_tenant, job=JOB, clock=clock)
    assert run.status == "succeeded" and not se_sandbox.uploads.received
    assert SyncEvent.unscoped.filter(run=run, message__contains="No Lightspeed shop is connected").exists()


def test_the_file_format_quotes_and_formats_money():
    row = InventoryRow(pos_sku="210000000001", upc="012345678905", ean="", mpn="A,B", description='Bell "Ding"',
                       brand="Knog", category="Accessories/Bells", qoh=3, regular_price=Decimal("12.5"))
    data, count = inventory_file_render("Newport, KY", [row])
    assert count == 1
    assert data.decode() == (",".join(HEADER) + "\r\n" + '"Newport, KY",210000000001,012345678905,,"A,B",'
                             '"Bell ""Ding""",Knog,Accessories/Bells,3,12.50,,,\r\n')
