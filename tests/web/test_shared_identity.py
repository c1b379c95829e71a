"""Issue 15 §9 (first bullet): a Lightspeed account or channel identity already connected to another tenant is
warned about where it is connected — without naming the other tenant."""
import pytest
from django.urls import reverse
from django.utils import timezone

from channels.miinto.models import MiintoSettings
from lightspeed.models import Connection
from tests.isolation import member_create

pytestmark = pytest.mark.django_db


def _connect(tenant, account_id="555"):
    Connection.objects.for_tenant(tenant).create(tenant=tenant, account_id=account_id, account_name="Shared",
                                                 status="connected", access_token="a", refresh_token="r",
                                                 connected_at=timezone.now())


@pytest.fixture
def other_tenant(db):
    return member_create(slug="other-shop").tenant


def test_a_shared_lightspeed_account_is_warned_about(owner_client, owner, other_tenant):
    _connect(owner.tenant)
    html = owner_client.get(reverse("lightspeed:connection")).content.decode()
    assert 'data-shared="lightspeed"' not in html
    _connect(other_tenant)
    html = owner_client.get(reverse("lightspeed:connection")).content.decode()
    assert 'data-shared="lightspeed"' in html and "also connected to 1 other shop" in html
    assert "other-shop" not in html and "Other-Shop" not in html


def test_a_shared_miinto_channel_is_warned_about_on_save_page_and_switch(owner_client, owner, other_tenant,
                                                                         miinto_sandbox):
    MiintoSettings.objects.for_tenant(other_tenant).create(tenant=other_tenant, identifier=miinto_sandbox.identifier,
                                                           secret=miinto_sandbox.secret)
    response = owner_client.post(reverse("miinto:settings"), {
        "identifier": miinto_sandbox.identifier, "secret": miinto_sandbox.secret, "feed_currency": "DKK",
        "unfulfillable_policy": "decline", "void_policy": "leave"}, follow=True)
    html = response.content.decode()
    assert "Miinto settings saved" in html and "also connected to 1 other shop" in html
    assert 'data-shared="miinto"' in html and "other-shop" not in html.lower().replace("other shop", "")
    response = owner_client.post(reverse("channel_switch", args=["miinto"]), {"on": "1"}, follow=True)
    assert "Miinto is on" in response.content.decode() and "both would import the same Miinto orders" in (
        response.content.decode())


@pytest.fixture
def miinto_sandbox(clock):
    from channels.miinto.client import channels_forget
    from channels.miinto.sandbox import MiintoSandbox
    from connector.http import transport_overrides

    sandbox = MiintoSandbox(clock=None, seed=1)
    transport_overrides["miinto"] = sandbox.transport()
    channels_forget()
    yield sandbox
    transport_overrides.pop("miinto", None)
    channels_forget()


def test_connecting_lightspeed_to_an_account_another_tenant_has_warns(client, owner, other_tenant, ls_sandbox,
                                                                      clock):
    """The OAuth callback itself says it, right when the owner connects."""
    from urllib.parse import parse_qs, urlparse

    from lightspeed.services import connection_authorize_url
    from tests.lightspeed_sandbox import connect

    connect(other_tenant, ls_sandbox, clock)  # the other tenant connected this account first
    client.force_login(owner.user)
    query = parse_qs(urlparse(connection_authorize_url(tenant=owner.tenant)).query)
    code = ls_sandbox.issue_code(code_challenge=query["code_challenge"][0],
                                 code_challenge_method=query["code_challenge_method"][0])
    response = client.get(reverse("lightspeed:callback"), {"code": code, "state": query["state"][0]}, follow=True)
    html = response.content.decode()
    assert "Lightspeed is connected" in html and "also connected to 1 other shop" in html


@pytest.fixture
def ls_sandbox(clock, settings):
    from tests.lightspeed_sandbox import sandbox_routed

    yield from sandbox_routed(clock, settings, items=5)
