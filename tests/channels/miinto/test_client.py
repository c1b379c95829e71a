"""The Miinto client against the sandbox: channel caching and re-opening, signing, paging, typed errors."""
import pytest

from channels.miinto.client import MiintoClient, channels_forget, miinto_client
from channels.miinto.models import MiintoSettings
from channels.miinto.sandbox import MiintoSandbox
from connector.clock import FakeClock
from connector.http import Misconfigured, NotFound, Transient, Unauthorized
from connector.redact import redact_text


@pytest.fixture
def sb():
    return MiintoSandbox(clock=FakeClock(), seed=2)


@pytest.fixture
def client(sb):
    channels_forget()
    with MiintoClient(identifier=sb.identifier, secret=sb.secret, transport=sb.transport(), clock=sb.clock) as c:
        yield c
    channels_forget()


def channel_opens(sb):
    return sum(1 for r in sb.request_log if r["path"] == "/channels")


def test_channel_opened_once_and_cached(sb, client):
    assert client.channel.shop_ids == tuple(sb.shop_ids)
    client.transfers_pending(sb.shop_ids[0])
    client.shop_get(sb.shop_ids[1])
    assert channel_opens(sb) == 1


def test_expired_channel_reopened_once(sb, client):
    client.shop_get(sb.shop_ids[0])
    sb.channels_expire()
    assert client.shop_get(sb.shop_ids[0])["id"] == sb.shop_ids[0]
    assert channel_opens(sb) == 2


def test_refused_twice_raises_unauthorized(sb, client):
    sb.inject_fault("bad_signature", times=2)
    with pytest.raises(Unauthorized):
        client.shop_get(sb.shop_ids[0])


def test_secrets_are_registered_for_redaction(sb, client):
    token = client.channel.token
    assert redact_text(f"token {token} secret {sb.secret}") == "token [redacted] secret [redacted]"


def test_pending_transfers_paged_past_one_page(sb, client):
    shop = sb.shop_ids[0]
    ids = [sb.add_pending_order(shop, [{"gtin": "1", "quantity": 1, "price": 100}]) for _ in range(57)]
    sb.transfer_decide(shop, ids[3], {"declinedPositions": [{"id": sb.transfers[ids[3]]["positions"][0]["id"]}]})
    got = [t["id"] for t in client.transfers_pending(shop)]
    assert got == [i for i in ids if i != ids[3]]


def test_accept_decline_and_ship(sb, client):
    shop = sb.shop_ids[0]
    tid = sb.add_pending_order(shop, [{"gtin": "1", "quantity": 1, "price": 100},
                                      {"gtin": "2", "quantity": 1, "price": 5}])
    p1, p2 = (p["id"] for p in sb.transfers[tid]["positions"])
    order_id = client.transfer_decide(shop, tid, accepted=[p1], declined=[p2])
    assert client.transfer_decide(shop, tid, accepted=[p1]) == order_id
    provider = client.shipping_providers(shop, order_id)[0]["id"]
    client.ship(shop, order_id, position_ids=[p1], tracking_code="TRACK-1", provider_id=provider)
    assert sb.tracking_of(tid) == {p1: "TRACK-1"}
    assert client.order_get(shop, order_id)["acceptedPositions"][0]["shippingProviderId"] == provider
    assert [o["id"] for o in client.orders(shop, status="accepted")] == [order_id]


def test_lost_patch_response_is_retried_safely(sb, client):
    shop = sb.shop_ids[0]
    tid = sb.add_pending_order(shop, [{"gtin": "1", "quantity": 1, "price": 100}])
    pid = sb.transfers[tid]["positions"][0]["id"]
    sb.inject_fault("drop_after_commit", method="PATCH")
    order_id = client.transfer_decide(shop, tid, accepted=[pid])
    assert order_id and len(sb.orders) == 1
    assert [a["action"] for a in sb.actions] == ["accept"]


def test_typed_errors(sb, client):
    with pytest.raises(NotFound):
        client.transfer_get(sb.shop_ids[0], 1)
    sb.inject_fault("malformed_json", path_contains="/shops/")
    with pytest.raises(Transient):
        client.shop_get(sb.shop_ids[0])
    sb.inject_fault("503", times=2)
    assert client.shop_get(sb.shop_ids[0])["id"] == sb.shop_ids[0]  # retried with the fake clock


def test_wrong_secret_is_a_config_error(sb):
    channels_forget()
    c = MiintoClient(identifier=sb.identifier, secret="wrong-secret", transport=sb.transport(), clock=sb.clock)
    with pytest.raises(Misconfigured):
        c.shop_get(sb.shop_ids[0])


def test_client_for_tenant_needs_credentials(tenant):
    with pytest.raises(Misconfigured):
        miinto_client(tenant)
    MiintoSettings.objects.create(tenant=tenant, identifier="x", secret="y")
    assert miinto_client(tenant).identifier == "x"
