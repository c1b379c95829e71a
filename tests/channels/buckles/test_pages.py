"""The owner's Buckles page and API: settings, the status table, shops, webhook URL (PROVISIONAL contract)."""
import json

import pytest
from django.urls import reverse

from channels.buckles.models import BucklesSettings, BucklesShop
from lightspeed.models import Shop

pytestmark = pytest.mark.django_db


@pytest.fixture
def shops(owner):
    for ls_id, name in ((1, "Main street"), (2, "Outlet")):
        Shop.objects.create(tenant=owner.tenant, ls_id=ls_id, name=name)


def form_data(**overrides):
    data = {"account": "acme", "api_token": "bkl_x", "webhook_secret": "whsec_y", "source": "lightspeed",
            "currency": "eur", "sync_products": "on", "shops-0-lightspeed_shop_ls_id": "1", "shops-0-location": "",
            **{f"status-{s}": v for s, v in (("open", "pending_payment"), ("completed", "completed"),
                                             ("completed_not_shipped", "processing"), ("shipped", "completed"),
                                             ("voided", "cancelled"), ("refunded", "refunded"))}}
    data.update(overrides)
    return data


def test_provisional_page_shows_the_status_table_with_defaults(owner_client):
    html = owner_client.get(reverse("buckles:settings")).content.decode()
    assert 'data-state="completed_not_shipped"' in html and "Order statuses" in html
    assert '<option value="processing" selected>' in html
    assert "/channels/buckles/webhook/" in html and "provisional contract" in html


def test_provisional_saving_the_form_stores_table_shops_and_secrets(owner_client, owner, shops):
    response = owner_client.post(reverse("buckles:settings"), form_data(**{"status-voided": "",
                                                                           "status-open": "on_hold"}))
    assert response.status_code == 302
    settings = BucklesSettings.objects.for_tenant(owner.tenant).get()
    assert settings.status_map["voided"] == "" and settings.status_map["open"] == "on_hold"
    assert settings.api_token == "bkl_x" and settings.currency == "EUR"
    assert list(BucklesShop.objects.for_tenant(owner.tenant).values_list("lightspeed_shop_ls_id", flat=True)) == [1]
    html = owner_client.get(reverse("buckles:settings")).content.decode()
    assert "bkl_x" not in html and "whsec_y" not in html


def test_provisional_bad_input_says_what_to_fix_and_saves_nothing(owner_client, owner, shops):
    response = owner_client.post(reverse("buckles:settings"), form_data(**{
        "shops-0-lightspeed_shop_ls_id": "1", "shops-0-location": "", "currency": "e1r", "source": "light speed"}))
    html = response.content.decode()
    assert response.status_code == 400 and "three-letter currency" in html and "letters, digits" in html
    assert not BucklesShop.objects.for_tenant(owner.tenant).exists()


def test_provisional_api_patch_validates_the_status_table(owner_client, owner, shops):
    url = reverse("api:buckles:settings")
    bad = owner_client.patch(url, json.dumps({"status_map": {"completed": "teleported"}}),
                             content_type="application/json")
    assert bad.status_code == 400 and "status_map" in bad.json()
    good = owner_client.patch(url, json.dumps({"status_map": {"completed": "processing"},
                                               "shops": [{"lightspeed_shop_ls_id": 2, "location": "wh-2"}]}),
                              content_type="application/json")
    assert good.status_code == 200 and good.json()["status_map"] == {"completed": "processing"}
    assert good.json()["shops"] == [{"lightspeed_shop_ls_id": 2, "location": "wh-2"}]


def test_provisional_the_webhook_url_can_be_replaced(owner_client, owner):
    old = owner_client.get(reverse("api:buckles:webhook")).json()["webhook_url"]
    owner_client.post(reverse("buckles:webhook_rotate"))
    new = owner_client.get(reverse("api:buckles:webhook")).json()["webhook_url"]
    assert old != new and "/channels/buckles/webhook/" in new
    assert owner_client.post(old.split("testserver", 1)[1], "{}", content_type="application/json").status_code == 401


def test_provisional_register_sends_the_webhook_url_to_buckles(owner_client, owner, clock):
    from channels.buckles.sandbox import BucklesSandbox
    from connector.http import transport_overrides

    sandbox = BucklesSandbox(clock=clock)
    transport_overrides["buckles"] = sandbox.transport()
    try:
        refused = owner_client.post(reverse("buckles:webhook_register"), follow=True).content.decode()
        assert "did not take the webhook address" in refused and sandbox.webhook_url == ""
        BucklesSettings.objects.for_tenant(owner.tenant).update(api_token=sandbox.token)
        owner_client.post(reverse("buckles:webhook_register"))
        assert sandbox.webhook_url.startswith("http://testserver/channels/buckles/webhook/")
    finally:
        transport_overrides.pop("buckles", None)
