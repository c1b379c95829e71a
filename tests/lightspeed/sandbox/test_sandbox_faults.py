"""Injected faults through the httpx transport and over loopback HTTP."""
import io
import threading

import httpx
import pytest
from werkzeug.serving import make_server

from lightspeed.sandbox import server as sandbox_server

SALE = {"employeeID": 1, "shopID": 1, "registerID": 1, "referenceNumber": "M-1", "referenceNumberSource": "Miinto"}


def test_500_and_503_then_recovery(api):
    api.sb.inject_fault("503", method="GET", path_contains="/Item", times=2)
    assert [api.get("Item.json").status_code for _ in range(3)] == [503, 503, 200]
    api.sb.inject_fault("500")
    failed = api.get("Shop.json")
    assert failed.status_code == 500 and failed.json()["httpCode"] == "500"


def test_timeout_raises_read_timeout_and_writes_nothing(api):
    before = len(api.sb.state.sales)
    api.sb.inject_fault("timeout", method="POST", path_contains="/Sale")
    with pytest.raises(httpx.ReadTimeout):
        api.post("Sale.json", SALE)
    assert len(api.sb.state.sales) == before


def test_drop_after_commit_writes_then_loses_the_response(api):
    before = len(api.sb.state.sales)
    api.sb.inject_fault("drop_after_commit", method="POST", path_contains="/Sale")
    with pytest.raises(httpx.RemoteProtocolError):
        api.post("Sale.json", SALE)
    assert len(api.sb.state.sales) == before + 1  # committed
    found = api.get("Sale.json", referenceNumber="M-1").json()["Sale"]
    assert isinstance(found, dict) and found["referenceNumberSource"] == "Miinto"


def test_fault_only_hits_matching_requests(api):
    api.sb.inject_fault("500", method="PUT")
    assert api.get("Item.json").status_code == 200
    assert api.sb.faults.describe()[0]["kind"] == "500"


def test_control_http_surface(api):
    http = api.http
    assert http.post("/sandbox/faults", json={"kind": "503", "path_contains": "Customer"}).status_code == 201
    assert api.get("Customer.json").status_code == 503
    assert http.post("/sandbox/stock", json={"item_id": 1, "shop_id": 1, "qoh": 42}).status_code == 200
    assert next(r.qoh for r in api.sb.state.item_shops_by_item[1] if r.shop_id == 1) == 42
    assert http.get("/sandbox/requests").json()["requests"][-1]["status"] == 503
    assert http.post("/sandbox/faults", json={"kind": "nope"}).status_code == 400


@pytest.fixture
def loopback():
    parser_options = {"items": 20, "shops": 1, "registers": 2, "seed": 1, "time_scale": 1.0, "timeout_seconds": 0.5}
    sandbox = sandbox_server.build(**parser_options)
    server = make_server("127.0.0.1", 0, sandbox.wsgi_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield sandbox, f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_loopback_drop_after_commit_and_timeout(loopback):
    sandbox, base = loopback
    with httpx.Client(base_url=base, timeout=5) as http:
        code = http.post("/sandbox/oauth/code", json={}).json()["code"]
        token = http.post("/auth/oauth/token", data={"client_id": "demo-client", "client_secret": "demo-secret",
                                                     "grant_type": "authorization_code", "code": code}).json()
        headers = {"Authorization": f"Bearer {token['access_token']}"}
        url = f"/API/V3/Account/{sandbox.account_id}/Sale.json"
        sandbox.inject_fault("drop_after_commit", method="POST")
        with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
            http.post(url, json=SALE, headers=headers)
        assert len(sandbox.state.sales) == 1
        sandbox.inject_fault("timeout", method="GET")
        with pytest.raises(httpx.ReadTimeout):
            http.get(url, headers=headers, timeout=0.2)
        assert http.get(url, headers=headers).json()["Sale"]["referenceNumber"] == "M-1"


def test_serve_prints_base_urls_and_demo_client(monkeypatch):
    class Stop(Exception):
        pass

    def fake_make_server(host, port, app, threaded):
        assert host == "127.0.0.1" and threaded is True

        class Server:
            def serve_forever(self):
                raise KeyboardInterrupt

            def server_close(self):
                pass
        return Server()

    monkeypatch.setattr("connector.sandbox_server.make_server", fake_make_server)
    out = io.StringIO()
    sandbox_server.serve(out, port=9150, items=10, shops=1, registers=2, seed=1, time_scale=5.0)
    text = out.getvalue()
    for expected in ("http://127.0.0.1:9150/API/V3/", "demo-client", "demo-secret",
                     "http://127.0.0.1:8000/lightspeed/callback/", "/auth/oauth/token"):
        assert expected in text


def test_loopback_concurrent_requests_share_one_bucket(loopback):
    sandbox, base = loopback
    with httpx.Client(base_url=base, timeout=5) as http:
        code = http.post("/sandbox/oauth/code", json={}).json()["code"]
        token = http.post("/auth/oauth/token", data={"client_id": "demo-client", "client_secret": "demo-secret",
                                                     "grant_type": "authorization_code", "code": code}).json()
    headers = {"Authorization": f"Bearer {token['access_token']}"}
    url = f"{base}/API/V3/Account/{sandbox.account_id}/Item.json"
    results = []

    def worker():
        with httpx.Client(timeout=5) as http:
            for _ in range(4):
                results.append(http.get(url, headers=headers, params={"limit": "5"}))

    threads = [threading.Thread(target=worker) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    ok = [r for r in results if r.status_code == 200]
    assert len(results) == 20 and all(r.status_code in (200, 429) for r in results)
    assert max(float(r.headers["X-LS-Api-Bucket-Level"].split("/")[0]) for r in ok) <= len(ok)
    logged = [e for e in sandbox.request_log if e["path"].endswith("/Item.json")]
    assert len(logged) == 20 and sum(e["cost"] for e in logged) == len(ok)
