"""The Buckles sandbox speaks the PROVISIONAL contract of docs/buckles.md to any client, not only ours."""
import io
import json

import httpx
import pytest

from channels.buckles.sandbox import BucklesSandbox
from channels.buckles.sandbox import server as sandbox_server
from channels.buckles.signing import signature_verify
from connector.clock import FakeClock

ORDER = {"status": "completed", "payment_status": "paid", "currency": "EUR",
         "lines": [{"sku": "EXT-1-001", "quantity": 1, "unit_price": "9.95"}], "totals": {"total": "9.95"}}


@pytest.fixture
def sb():
    return BucklesSandbox(clock=FakeClock(), seed=1)


@pytest.fixture
def http(sb):
    with httpx.Client(transport=sb.transport(), base_url="http://buckles.test",
                      headers={"Authorization": f"Bearer {sb.token}"}) as client:
        yield client


def test_provisional_every_call_without_the_token_gets_401(sb):
    with httpx.Client(transport=sb.transport(), base_url="http://buckles.test") as anonymous:
        for method, path in [("GET", "/v1/account"), ("GET", "/v1/events"), ("PUT", "/v1/orders/lightspeed/1"),
                             ("PUT", "/v1/stock"), ("POST", "/v1/checkouts:batch")]:
            response = anonymous.request(method, path, headers={"Authorization": "Bearer wrong"}, json={})
            assert response.status_code == 401 and response.json()["error"]["code"] == "unauthorized"


def test_provisional_orders_are_upserts_by_natural_key(sb, http):
    assert http.put("/v1/orders/lightspeed/42", json=ORDER).status_code == 201
    again = http.put("/v1/orders/lightspeed/42", json={**ORDER, "status": "cancelled"})
    assert again.status_code == 200 and again.json()["version"] == 2 and len(sb.orders) == 1


def test_provisional_invalid_orders_get_422_with_fields(http):
    response = http.put("/v1/orders/lightspeed/43", json={**ORDER, "status": "shipped-ish", "totals": {"total": 9.95}})
    fields = response.json()["error"]["fields"]
    assert response.status_code == 422 and {"status", "totals.total"} <= set(fields)


def test_provisional_posts_need_an_idempotency_key_and_repeat_the_first_answer(sb, http):
    body = {"checkouts": [{"external_id": "9", "lines": [], "total": "0.00"}]}
    assert http.post("/v1/checkouts:batch", json=body).status_code == 400
    first = http.post("/v1/checkouts:batch", json=body, headers={"Idempotency-Key": "k1"})
    second = http.post("/v1/checkouts:batch", json=body, headers={"Idempotency-Key": "k1"})
    assert first.status_code == second.status_code == 200 and first.json() == second.json()
    assert len(sb.writes) == 1
    other = http.post("/v1/checkouts:batch", json={"checkouts": []}, headers={"Idempotency-Key": "k1"})
    assert other.status_code == 409


def test_provisional_the_rate_limit_answers_429_with_retry_after(sb, http):
    sb.burst = 3
    statuses = [http.get("/v1/account").status_code for _ in range(4)]
    assert statuses[:3] == [200, 200, 200] and statuses[3] == 429
    sb.clock.advance(1)
    assert http.get("/v1/account").status_code == 200


def test_provisional_products_link_by_sku_or_barcode(sb, http):
    linked = http.put("/v1/products/MY-SKU", json={"sku": "MY-SKU", "barcode": "8701000000001", "title": "T"}).json()
    assert linked["linked"] and linked["sku"] == "EXT-1-001"
    new = http.put("/v1/products/NEW-SKU", json={"sku": "NEW-SKU", "title": "New"}).json()
    assert not new["linked"] and "NEW-SKU" in sb.products


def test_provisional_stock_rejects_unknown_skus_per_line(sb, http):
    answer = http.put("/v1/stock", json={"items": [{"sku": "EXT-1-002", "quantity": 4}, {"sku": "??", "quantity": 1}]})
    assert answer.json()["updated"] == 1 and answer.json()["rejected"][0]["index"] == 1
    assert sb.stock[("EXT-1-002", "")] == 4


def test_provisional_the_events_feed_pages_with_a_cursor(sb, http):
    for n in range(3):
        sb.emit("stock.changed", {"sku": f"S{n}", "quantity": n}, mode="none")
    page = http.get("/v1/events", params={"limit": 2}).json()
    assert [e["data"]["sku"] for e in page["items"]] == ["S0", "S1"]
    rest = http.get("/v1/events", params={"after": page["next_cursor"]}).json()
    assert [e["data"]["sku"] for e in rest["items"]] == ["S2"]
    assert http.get("/v1/events", params={"after": rest["next_cursor"]}).json() == {"items": [], "next_cursor": None}
    assert http.get("/v1/events", params={"after": "nonsense"}).status_code == 400


def test_provisional_deliveries_are_signed_over_timestamp_and_body(sb):
    seen = []

    def receive(request):
        seen.append(request)
        return httpx.Response(200)

    sb.webhook_url, sb.webhook_transport = "http://connector.test/hook", httpx.MockTransport(receive)
    event = sb.emit("stock.changed", {"sku": "A", "quantity": 1})
    request = seen[0]
    assert request.headers["X-Buckles-Delivery"] == event["id"]
    assert request.headers["X-Buckles-Event"] == "stock.changed"
    signature_verify(secret=sb.webhook_secret, timestamp=request.headers["X-Buckles-Timestamp"],
                     signature=request.headers["X-Buckles-Signature"], body=request.content, now=sb.clock.time())
    assert json.loads(request.content)["data"]["quantity"] == 1


def test_provisional_faults_play_a_dropped_response_after_the_write(sb, http):
    sb.faults.inject("drop_after_commit", method="PUT", path_contains="/orders/")
    with pytest.raises(httpx.RemoteProtocolError):
        http.put("/v1/orders/lightspeed/44", json=ORDER)
    assert ("lightspeed", "44") in sb.orders


def test_provisional_the_server_prints_token_and_webhook_secret(monkeypatch):
    printed = io.StringIO()
    monkeypatch.setattr(sandbox_server, "wsgi_serve", lambda app, port, banner, stdout: stdout.write(banner))
    sandbox_server.serve(printed, port=9170, seed=1)
    lines = dict(line.split(": ", 1) for line in printed.getvalue().splitlines() if ": " in line)
    sb = BucklesSandbox(seed=1)
    assert lines["token"] == sb.token and lines["webhook_secret"] == sb.webhook_secret


def test_provisional_the_control_page_renders_for_a_browser(sb):
    with httpx.Client(transport=sb.transport(), base_url="http://buckles.test") as client:
        page = client.get("/sandbox/", headers={"Accept": "text/html"})
        assert page.status_code == 200 and "Emit stock.changed" in page.text and "PROVISIONAL" in page.text
        assert client.post("/sandbox/events/stock", json={"sku": "A", "quantity": 2}).status_code == 201
        assert client.get("/sandbox/events").json()[0]["data"]["quantity"] == 2
