"""The Miinto sandbox speaks Miinto's API: channel login, HMAC signatures, transfers, orders, control surface."""
import hashlib
import hmac
import json
import subprocess
import sys

import httpx
import pytest

from channels.miinto.client import MiintoClient, channels_forget
from channels.miinto.sandbox import MiintoSandbox
from connector.clock import FakeClock

AUTH = "MNT-HMAC-SHA256-1-0"


def sha(data):
    return hashlib.sha256(data if isinstance(data, bytes) else data.encode()).hexdigest()


def sign_by_hand(channel_id, token, method, host, path, query, body, timestamp, seed):
    """The algorithm of channel-apis.md §1.3, written out independently of channels.miinto.signing."""
    resource = sha(f"{method}\n{host}\n{path}\n{query}")
    header = sha(f"{channel_id}\n{timestamp}\n{seed}\n{AUTH}")
    payload = sha(body)
    return hmac.new(token.encode(), f"{resource}\n{header}\n{payload}".encode(), hashlib.sha256).hexdigest()


@pytest.fixture
def sb():
    return MiintoSandbox(clock=FakeClock(), seed=3)


@pytest.fixture
def http(sb):
    return httpx.Client(transport=sb.transport(), base_url="http://api-order.miinto.test")


@pytest.fixture
def channel(sb, http):
    data = http.post("/channels", json={"identifier": sb.identifier, "secret": sb.secret}).json()["data"]
    return data["id"], data["token"]


def signed(http, sb, channel, method, path, query="", body=b"", *, tamper=None, timestamp=None):
    channel_id, token = channel
    timestamp = int(sb.clock.time()) if timestamp is None else timestamp
    signature = sign_by_hand(channel_id, token, method, "api-order.miinto.test", path, query, body, timestamp, "s1")
    headers = {"Miinto-Api-Auth-ID": channel_id, "Miinto-Api-Auth-Timestamp": str(timestamp),
               "Miinto-Api-Auth-Seed": "s1", "Miinto-Api-Auth-Type": AUTH, "Miinto-Api-Auth-Signature": signature,
               "Content-Type": "application/json"}
    if tamper:
        body = tamper
    url = path + (f"?{query}" if query else "")
    return http.request(method, url, content=body, headers=headers)


def test_channel_open_json_and_form_and_privileges(sb, http):
    by_json = http.post("/channels", json={"identifier": sb.identifier, "secret": sb.secret})
    by_form = http.post("/channels", data={"identifier": sb.identifier, "secret": sb.secret})
    assert by_json.status_code == by_form.status_code == 200
    data = by_json.json()["data"]
    assert data["id"].startswith("M!t!Ch!v1!") and len(data["token"]) == 40
    assert list(data["privileges"]["__GLOBAL__"]["Store"]) == sb.shop_ids
    assert list(data["privileges"]["Platform-SE"]["ShopAdmin"]) == [sb.shop_ids[1]]
    assert by_json.json()["meta"]["status"] == "success"


def test_channel_open_wrong_secret_is_failure_envelope(sb, http):
    response = http.post("/channels", json={"identifier": sb.identifier, "secret": "nope"})
    assert response.status_code == 401
    assert response.json()["meta"]["status"] == "failure"


def test_signed_call_accepted_and_channel_readable(sb, http, channel):
    shop = sb.shop_ids[0]
    assert signed(http, sb, channel, "GET", f"/shops/{shop}").json()["data"]["countryCode"] == "DK"
    own = signed(http, sb, channel, "GET", f"/channels/{channel[0]}")
    assert own.status_code == 200 and own.json()["data"]["token"] == channel[1]
    assert http.get("/status").json()["data"] == {"status": "ok"}


@pytest.mark.parametrize("problem", ["body", "timestamp", "unsigned", "expired"])
def test_bad_signatures_get_401_failure(sb, http, channel, problem):
    tid = sb.add_pending_order(sb.shop_ids[0], [{"gtin": "1", "quantity": 1, "price": 100}])
    pid = sb.transfers[tid]["positions"][0]["id"]
    path = f"/shops/{sb.shop_ids[0]}/transfers/{tid}"
    body = json.dumps({"acceptedPositions": [{"id": pid}]}).encode()
    if problem == "body":
        response = signed(http, sb, channel, "PATCH", path, body=body, tamper=body.replace(b"accepted", b"declined"))
    elif problem == "timestamp":
        response = signed(http, sb, channel, "PATCH", path, body=body, timestamp=int(sb.clock.time()) - 3600)
    elif problem == "unsigned":
        response = http.patch(path, content=body)
    else:
        sb.channels_expire()
        response = signed(http, sb, channel, "PATCH", path, body=body)
    assert response.status_code == 401
    assert response.json()["meta"]["status"] == "failure"
    assert sb.positions_by_status(tid)["pending"] == [pid]  # nothing happened


def test_transfers_filter_sort_and_paging(sb, http, channel):
    shop = sb.shop_ids[0]
    ids = [sb.add_pending_order(shop, [{"gtin": str(n), "quantity": 1, "price": 100}]) for n in range(5)]
    sb.clock.advance(1)
    sb.transfer_decide(shop, ids[0], {"declinedPositions": [{"id": sb.transfers[ids[0]]["positions"][0]["id"]}]})
    query = "status%5B%5D=pending&sort=-createdAt&limit=2&offset=1"
    page = signed(http, sb, channel, "GET", f"/shops/{shop}/transfers", query).json()
    assert page["meta"]["totalItemCount"] == 4
    assert [t["id"] for t in page["data"]] == [ids[3], ids[2]]
    declined = signed(http, sb, channel, "GET", f"/shops/{shop}/transfers", "status%5B%5D=declined").json()
    assert [t["id"] for t in declined["data"]] == [ids[0]]


def test_accept_decline_creates_order_idempotently(sb, http, channel):
    shop = sb.shop_ids[1]
    tid = sb.add_pending_order(shop, [{"gtin": "a", "quantity": 2, "price": 49900},
                                      {"gtin": "b", "quantity": 1, "price": 100}])
    p1, p2 = (p["id"] for p in sb.transfers[tid]["positions"])
    body = json.dumps({"acceptedPositions": [{"id": p1}], "declinedPositions": [{"id": p2}]}).encode()
    first = signed(http, sb, channel, "PATCH", f"/shops/{shop}/transfers/{tid}", body=body).json()
    again = signed(http, sb, channel, "PATCH", f"/shops/{shop}/transfers/{tid}", body=body).json()
    assert first["data"]["newOrder"]["id"] == again["data"]["newOrder"]["id"]
    order = signed(http, sb, channel, "GET", f"/shops/{shop}/orders/{first['data']['newOrder']['id']}").json()["data"]
    assert [p["id"] for p in order["acceptedPositions"]] == [p1]
    assert order["acceptedPositions"][0]["price"] == 49900 and order["parentOrder"]["id"] == tid
    assert [a["action"] for a in sb.actions] == ["accept", "decline"]
    flip = json.dumps({"acceptedPositions": [{"id": p2}]}).encode()
    assert signed(http, sb, channel, "PATCH", f"/shops/{shop}/transfers/{tid}", body=flip).status_code == 409


def test_tracking_written_on_order_positions(sb, http, channel):
    shop = sb.shop_ids[0]
    tid = sb.add_pending_order(shop, [{"gtin": "a", "quantity": 1, "price": 100}])
    pid = sb.transfers[tid]["positions"][0]["id"]
    order_id = sb.transfer_decide(shop, tid, {"acceptedPositions": [{"id": pid}]})
    providers = signed(http, sb, channel, "GET", f"/shops/{shop}/shipping-providers/orders/{order_id}").json()
    provider = providers["data"][0]["id"]
    bad = json.dumps({"acceptedPositions": [{"id": pid, "trackAndTrace": "X", "shippingProviderId": 999}]}).encode()
    assert signed(http, sb, channel, "PATCH", f"/shops/{shop}/orders/{order_id}", body=bad).status_code == 400
    good = json.dumps({"acceptedPositions": [{"id": pid, "trackAndTrace": "TT42", "shippingProviderId": provider}]})
    response = signed(http, sb, channel, "PATCH", f"/shops/{shop}/orders/{order_id}", body=good.encode())
    assert response.json()["data"]["acceptedPositions"][0]["trackAndTrace"] == "TT42"
    assert sb.tracking_of(tid) == {pid: "TT42"}


def test_control_surface_over_http(sb, http):
    added = http.post("/sandbox/orders", json={"shop_id": sb.shop_ids[2], "positions": [
        {"gtin": "5700000000017", "quantity": 1, "price": 1000}], "customer": {"name": "Kari Nordmann"}})
    assert added.status_code == 201
    transfers = http.get("/sandbox/transfers").json()
    assert transfers[0]["id"] == added.json()["transfer_id"]
    assert transfers[0]["billingInformation"]["name"] == "Kari Nordmann"
    assert http.post("/sandbox/faults", json={"kind": "503", "path_contains": "/status"}).status_code == 201
    assert http.get("/status").status_code == 503
    assert http.get("/status").status_code == 200
    assert http.get("/sandbox/").json()["identifier"] == sb.identifier


def test_seeding_is_deterministic():
    one = MiintoSandbox(clock=FakeClock(), seed=5, pending_orders=4, gtins=["111", "222", "333"])
    two = MiintoSandbox(clock=FakeClock(), seed=5, pending_orders=4, gtins=["111", "222", "333"])
    assert one.secret == two.secret and one.shop_ids == two.shop_ids
    assert one.transfers == two.transfers
    gtins = {p["item"]["gtin"] for t in one.transfers.values() for p in t["positions"]}
    assert gtins <= {"111", "222", "333"}


def test_server_prints_the_demo_channel_contract():
    port = 9251
    proc = subprocess.Popen([sys.executable, "manage.py", "sandbox", "miinto", "--port", str(port), "--seed", "3"],
                            stdout=subprocess.PIPE, text=True)
    try:
        lines = [proc.stdout.readline() for _ in range(6)]
        text = "".join(lines)
        sb = MiintoSandbox(seed=3)
        assert f"identifier: {sb.identifier}" in text and f"secret: {sb.secret}" in text
        assert f"shop DK: {sb.shop_ids[0]}" in text
        response = httpx.post(f"http://127.0.0.1:{port}/channels",
                              json={"identifier": sb.identifier, "secret": sb.secret})
        assert response.json()["data"]["privileges"]["__GLOBAL__"]["Store"]
        # The client signs what goes on the wire (host without port, raw path with "!"): the real server agrees.
        base = f"http://127.0.0.1:{port}"
        channels_forget()
        with MiintoClient(identifier=sb.identifier, secret=sb.secret, auth_url=base, order_url=base) as client:
            assert client.transfers_pending(sb.shop_ids[0]) == []
            assert client.shop_get(sb.shop_ids[1])["countryCode"] == "SE"
        channels_forget()
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_seeded_orders_can_match_the_lightspeed_sandbox_catalog():
    from lightspeed.sandbox import LightspeedSandbox

    from channels.miinto.sandbox.server import sandbox_from_options

    sb = sandbox_from_options({"seed": 1, "countries": "DK,SE", "pending_orders": 6, "lightspeed_seed": 1,
                               "lightspeed_items": 40})
    catalog = {item.ean for item in LightspeedSandbox(items=40, seed=1).state.items.values() if not item.archived}
    gtins = {p["item"]["gtin"] for t in sb.transfers.values() for p in t["positions"]}
    assert len(sb.transfers) == 6 and gtins and gtins <= catalog
    assert {t["shopId"] for t in sb.transfers.values()} == set(sb.shop_ids)


def test_a_resource_path_with_a_trailing_slash_works_and_is_signed_as_sent(sb, http, channel):
    shop = sb.shop_ids[0]
    response = signed(http, sb, channel, "GET", f"/shops/{shop}/")
    assert response.status_code == 200 and response.json()["data"]["id"] == shop
    listed = signed(http, sb, channel, "GET", f"/shops/{shop}/transfers/")
    assert listed.status_code == 200 and listed.json()["meta"]["status"] == "success"
