"""Issue 15 §12: in the demo the Miinto page offers the sandbox's demo channel, and the sandbox's own address
opens its control page instead of a JSON 404."""
import pytest
from django.urls import reverse
from werkzeug.test import Client

from channels.miinto.models import MiintoSettings, MiintoShop

pytestmark = pytest.mark.django_db


def test_the_page_offers_the_sandbox_channel_and_one_click_sets_it(owner_client, owner, miinto_sandbox):
    from lightspeed.models import Shop

    Shop.objects.for_tenant(owner.tenant).create(tenant=owner.tenant, ls_id=1, name="Main")
    html = owner_client.get(reverse("miinto:settings")).content.decode()
    assert "data-sandbox-offer" in html and miinto_sandbox.identifier in html
    response = owner_client.post(reverse("miinto:use_sandbox"), follow=True)
    assert "demo channel is set" in response.content.decode()
    stored = MiintoSettings.objects.for_tenant(owner.tenant).get()
    assert (stored.identifier, stored.secret) == (miinto_sandbox.identifier, miinto_sandbox.secret)
    shops = set(MiintoShop.objects.for_tenant(owner.tenant).values_list("shop_id", "lightspeed_shop_ls_id"))
    assert shops == {(shop_id, 1) for shop_id in miinto_sandbox.shop_ids}


def test_not_offered_when_miinto_is_a_real_host(owner_client, owner, settings):
    settings.MIINTO_AUTH_URL = settings.MIINTO_ORDER_URL = "https://api-auth.miinto.net"
    assert "data-sandbox-offer" not in owner_client.get(reverse("miinto:settings")).content.decode()
    response = owner_client.post(reverse("miinto:use_sandbox"), follow=True)
    assert "only offered when Miinto is a local sandbox" in response.content.decode()
    assert not MiintoSettings.objects.for_tenant(owner.tenant).exclude(secret="").exists()


def test_the_sandbox_root_opens_its_control_page(miinto_sandbox):
    response = Client(miinto_sandbox.wsgi_app).get("/")
    assert response.status_code == 302 and response.headers["Location"] == "/sandbox/"
