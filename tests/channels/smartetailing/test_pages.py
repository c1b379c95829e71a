"""The owner's SmartEtailing page: store mapping with preview counts, saving, and "Test connection"."""
import pytest
from django.urls import reverse

from channels.smartetailing.models import SmartEtailingLocation, SmartEtailingSettings
from lightspeed.models import Item, ItemStock, Shop

pytestmark = pytest.mark.django_db


@pytest.fixture
def mirror(owner):
    tenant = owner.tenant
    for ls_id, name in ((1, "Main Store"), (2, "Shop 2")):
        Shop.objects.for_tenant(tenant).create(tenant=tenant, ls_id=ls_id, name=name)
    for n, (qoh1, qoh2) in enumerate(((3, 0), (0, 5), (-1, 2), (7, 7)), start=1):
        item = Item.objects.for_tenant(tenant).create(tenant=tenant, ls_id=n, system_sku=f"21{n:010d}")
        for shop, qoh in ((1, qoh1), (2, qoh2)):
            ItemStock.objects.for_tenant(tenant).create(tenant=tenant, item=item, item_shop_ls_id=n * 10 + shop,
                                                        shop_ls_id=shop, qoh=qoh)
    return tenant


def form_data(**over):
    data = {"merchant_id": "4401", "url_key": "", "ftp_account": "1001", "ftp_password": "", "filter_on_hand": "on",
            "status_after_export": "", "location-1": "Newport, KY", "location-2": "", "action": "save"}
    data.update(over)
    return {k: v for k, v in data.items() if v is not None}


def count_cell(html, shop):
    marker = f'data-shop="{shop}" class="preview-count">'
    start = html.index(marker) + len(marker)
    return html[start:html.index("<", start)]


def test_page_shows_each_shop_with_the_items_it_would_send(owner_client, mirror):
    html = owner_client.get(reverse("smartetailing:settings")).content.decode()
    assert "Main Store" in html and "Shop 2" in html and "Neighborhood Descriptor" in html
    assert (count_cell(html, 1), count_cell(html, 2)) == ("2", "3")  # qoh > 0 (the default filter)
    assert "Refunds stay manual" in html


def test_preview_counts_follow_the_entered_filters_before_saving(owner_client, mirror):
    response = owner_client.post(reverse("smartetailing:settings"), form_data(filter_on_hand=None, action="preview"))
    html = response.content.decode()
    assert (count_cell(html, 1), count_cell(html, 2)) == ("4", "4") and "(preview)" in html
    assert SmartEtailingSettings.objects.for_tenant(mirror).get().filter_on_hand, "the preview saves nothing"


def test_saving_maps_stores_exactly(owner_client, mirror):
    response = owner_client.post(reverse("smartetailing:settings"), form_data(**{"location-2": "Cincinnati, OH"}))
    assert response.status_code == 302
    rows = SmartEtailingLocation.objects.for_tenant(mirror).order_by("lightspeed_shop_ls_id")
    assert [(r.lightspeed_shop_ls_id, r.neighborhood_descriptor) for r in rows] == [
        (1, "Newport, KY"), (2, "Cincinnati, OH")]


def test_saving_without_any_store_says_connect_one(owner_client, mirror):
    response = owner_client.post(reverse("smartetailing:settings"), form_data(**{"location-1": ""}))
    assert response.status_code == 400 and "Connect at least one Lightspeed shop" in response.content.decode()


def test_test_connection_says_which_failed_and_why(owner_client, mirror, se_sandbox, ftp_port):
    data = form_data(merchant_id=se_sandbox.merchant, url_key="WRONG", ftp_account=se_sandbox.ftp_user,
                     ftp_password=se_sandbox.ftp_password, ftp_host=f"127.0.0.1:{ftp_port}", action="test")
    html = owner_client.post(reverse("smartetailing:settings"), data).content.decode()
    assert 'class="error" data-check="Order service" data-ok="0"' in html
    assert "refused the merchant id and URL key" in html
    assert 'data-check="POS FTP" data-ok="1"' in html
    assert not SmartEtailingSettings.objects.for_tenant(mirror).exclude(merchant_id="").exists()


def test_the_api_tests_the_connection_too(owner_client, mirror, se_sandbox, ftp_port):
    body = {"merchant_id": se_sandbox.merchant, "url_key": se_sandbox.url_key, "ftp_host": f"127.0.0.1:{ftp_port}",
            "ftp_account": se_sandbox.ftp_user, "ftp_password": "nope"}
    checks = owner_client.post(reverse("api:smartetailing:test"), body, content_type="application/json").json()
    assert [(c["name"], c["ok"]) for c in checks] == [("Order service", True), ("POS FTP", False)]


def test_preview_counts_follow_the_on_order_and_reorder_filters(owner_client, mirror):
    stock = ItemStock.objects.for_tenant(mirror)
    stock.filter(item__ls_id=1, shop_ls_id=1).update(backorder=4)  # in stock, on order
    stock.filter(item__ls_id=2, shop_ls_id=1).update(backorder=2)  # out of stock, on order
    stock.filter(item__ls_id=4, shop_ls_id=2).update(reorder_level=10)
    stock.filter(item__ls_id=3, shop_ls_id=2).update(reorder_point=1)
    html = owner_client.post(reverse("smartetailing:settings"),
                             form_data(filter_on_hand=None, filter_on_order="on", action="preview")).content.decode()
    assert (count_cell(html, 1), count_cell(html, 2)) == ("2", "0")
    html = owner_client.post(reverse("smartetailing:settings"),
                             form_data(filter_on_order="on", action="preview")).content.decode()
    assert (count_cell(html, 1), count_cell(html, 2)) == ("1", "0"), "switches that are on must all hold"
    html = owner_client.post(reverse("smartetailing:settings"),
                             form_data(filter_reorder="on", action="preview")).content.decode()
    assert (count_cell(html, 1), count_cell(html, 2)) == ("0", "2")


@pytest.mark.parametrize("role,warned", [("Employee", True), ("Manager", False), ("Admin", False)])
def test_the_page_warns_when_lightspeed_was_approved_by_neither_admin_nor_manager(owner_client, mirror, role, warned):
    from lightspeed.models import Connection, Employee

    Employee.objects.for_tenant(mirror).create(tenant=mirror, ls_id=9, first_name="Sam", employee_role_ls_id=2,
                                               employee_role_name=role)
    Connection.objects.for_tenant(mirror).create(tenant=mirror, status="connected", approver_employee_ls_id=9)
    html = owner_client.get(reverse("smartetailing:settings")).content.decode()
    assert ('id="approver-warning"' in html) is warned
    if warned:
        assert "Sam" in html and "“Employee”" in html
