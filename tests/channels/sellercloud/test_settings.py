"""The owner's Sellercloud page and API: Test connection saves only a working login, the seed's switches
with the seed's words, the shops mapping with its checks, and "Re-download shops and warehouses"."""
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from channels.sellercloud.forms import SWITCH_LABELS
from channels.sellercloud.models import SellercloudSettings, SellercloudShop
from channels.sellercloud.services import sellercloud_connection_test, shops_mapping_save, warehouses_download
from lightspeed.models import Employee, Register, Shop


@pytest.fixture
def mirror(owner):
    tenant = owner.tenant
    for n in (1, 2):
        Shop.objects.create(tenant=tenant, ls_id=n, name=f"Shop {n}")
        Register.objects.create(tenant=tenant, ls_id=10 + n, name=f"Register {n}", shop_ls_id=n)
    Employee.objects.create(tenant=tenant, ls_id=7, first_name="Pat")
    return tenant


def stored(tenant):
    return SellercloudSettings.objects.for_tenant(tenant).first()


def test_test_connection_saves_a_working_login(owner_client, owner, sc):
    response = owner_client.post(reverse("sellercloud:connection"), {
        "cred-username": sc.username, "cred-password": sc.password, "cred-company_id": sc.company_id}, follow=True)
    assert "Connected to Sellercloud: company Sandbox Retail" in response.content.decode()
    settings = stored(owner.tenant)
    assert settings.username == sc.username and settings.password == sc.password
    assert settings.company_id == str(sc.company_id)


@pytest.mark.parametrize("password,company,field,message", [
    ("wrong", None, "password", "Sorry, invalid username or password"),
    (None, 999, "company_id", "Company 999 does not exist"),
])
def test_test_connection_saves_nothing_when_it_fails(owner, sc, password, company, field, message):
    with pytest.raises(ValidationError) as caught:
        sellercloud_connection_test(tenant=owner.tenant, username=sc.username, password=password or sc.password,
                                    company_id=company or sc.company_id)
    assert message in " ".join(caught.value.message_dict[field])
    assert not (stored(owner.tenant) and stored(owner.tenant).username)


def test_test_connection_through_the_api(owner_client, owner, sc):
    url = reverse("api:sellercloud:connection_test")
    bad = owner_client.post(url, {"username": sc.username, "password": "x", "company_id": str(sc.company_id)},
                            content_type="application/json")
    assert bad.status_code == 400 and "password" in bad.json()
    good = owner_client.post(url, {"username": sc.username, "password": sc.password,
                                   "company_id": str(sc.company_id)}, content_type="application/json")
    assert good.status_code == 200 and good.json()["has_password"] and "password" not in good.json()


def test_the_page_has_every_switch_in_the_seed_s_words(owner_client):
    html = owner_client.get(reverse("sellercloud:settings")).content.decode()
    for label, _ in SWITCH_LABELS.values():
        assert label in html
    assert "Returns Warehouse" in html and "Re-download shops and warehouses" in html and "Test connection" in html


def test_switches_save_from_the_page(owner_client, owner, sc):
    SellercloudSettings.objects.create(tenant=owner.tenant, username="u", password="p", company_id="1",
                                       warehouses=[{"ID": 3, "Name": "Returns"}])
    response = owner_client.post(reverse("sellercloud:settings"), {
        "lightspeed_pos_enabled": "on", "order_download": "on", "price_upload": "on", "returns_warehouse_id": "3"})
    assert response.status_code == 302
    settings = stored(owner.tenant)
    assert settings.price_upload and not settings.inventory_upload and settings.returns_warehouse_id == 3
    refused = owner_client.post(reverse("sellercloud:settings"), {"returns_warehouse_id": "9"})
    assert refused.status_code == 400 and stored(owner.tenant).returns_warehouse_id == 3


def test_re_download_fills_the_warehouses_and_re_reads_the_shops(owner_client, owner, sc, queued_runs,
                                                                 django_capture_on_commit_callbacks):
    SellercloudSettings.objects.create(tenant=owner.tenant, username=sc.username, password=sc.password,
                                       company_id=str(sc.company_id))
    with django_capture_on_commit_callbacks(execute=True):
        owner_client.post(reverse("sellercloud:refresh"))
    settings = stored(owner.tenant)
    assert [w["Name"] for w in settings.warehouses] == ["Main Warehouse", "Store Backroom", "Returns"]
    assert settings.company_address["Address"] == "1 Main St"
    assert any("lightspeed.reference_sync" in str(call) for call in queued_runs)


def test_shops_mapping_saves_and_refuses_what_does_not_exist(owner_client, owner, mirror, sc):
    SellercloudSettings.objects.create(tenant=owner.tenant, username=sc.username, password=sc.password,
                                       company_id=str(sc.company_id))
    warehouses_download(tenant=owner.tenant)
    response = owner_client.post(reverse("sellercloud:shops"), {
        "map-shop-1-warehouses": ["1", "2"], "map-shop-1-employee": "7", "map-shop-1-register": "11"})
    assert response.status_code == 302
    row = SellercloudShop.objects.for_tenant(owner.tenant).get(shop_ls_id=1)
    assert row.warehouse_ids == [1, 2] and (row.employee_ls_id, row.register_ls_id) == (7, 11)
    assert SellercloudShop.objects.for_tenant(owner.tenant).get(shop_ls_id=2).warehouse_ids == []
    with pytest.raises(ValidationError) as caught:
        shops_mapping_save(tenant=owner.tenant, rows=[{"shop_ls_id": 1, "warehouse_ids": [42], "employee_ls_id": 7,
                                                       "register_ls_id": 12}])
    problems = " ".join(caught.value.message_dict["shops"])
    assert "warehouse 42 is not one of your Sellercloud warehouses" in problems
    assert "register 12 belongs to another shop" in problems
    assert SellercloudShop.objects.for_tenant(owner.tenant).get(shop_ls_id=1).warehouse_ids == [1, 2]


def test_switching_on_needs_the_company_id(owner_client, owner):
    SellercloudSettings.objects.create(tenant=owner.tenant, username="u", password="p")
    html = owner_client.post(reverse("channel_switch", args=["sellercloud"]), {"on": "1"}, follow=True).content.decode()
    assert "Sellercloud stays off: Enter the Sellercloud username, password and company id" in html


def test_the_core_test_connection_hook_reports_problems_and_saves_nothing(owner, sc):
    from channels.sellercloud.services import sellercloud_test_connection

    values = {"username": sc.username, "password": sc.password, "company_id": str(sc.company_id)}
    assert sellercloud_test_connection(tenant=owner.tenant, values=values) == []
    wrong = sellercloud_test_connection(tenant=owner.tenant, values={**values, "password": "x"})
    assert any("Sorry, invalid username or password" in p for p in wrong)
    assert not (stored(owner.tenant) and stored(owner.tenant).username)


def test_order_page_shows_the_lines_we_sent(sc_tenant, sc, linked, clock):
    from channels.sellercloud.order_view import sellercloud_order_view
    from connector.models import OrderLedger
    from connector.runs import run_job

    from .conftest import make_sale

    make_sale(sc_tenant, lines=[(linked[0].ls_id, 2, "10.00", "1.00")])
    run_job(tenant=sc_tenant, job="sellercloud.orders_download", clock=clock)
    view = sellercloud_order_view(order=OrderLedger.objects.for_tenant(sc_tenant).get(channel="sellercloud"))
    assert [(line.code, line.quantity, line.total) for line in view.lines] == [("SKU-1", 2, Decimal("19.00"))]
    assert view.customer_name == "Lightspeed Order" and view.links
