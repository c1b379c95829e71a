"""The sandbox kit every sandbox shares: the control page a person drives (HTML by content negotiation,
forms redirect back with a message) and the JSON a test drives, the fault injector, the transport."""
import httpx
import pytest

from channels.miinto.sandbox import MiintoSandbox
from connector.clock import FakeClock
from connector.sandbox_kit import FaultInjector
from lightspeed.sandbox import LightspeedSandbox, sales

BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


@pytest.fixture(params=["lightspeed", "miinto"])
def sandbox(request):
    if request.param == "lightspeed":
        return LightspeedSandbox(items=30, shops=1, registers=2, clock=FakeClock())
    return MiintoSandbox(clock=FakeClock(), seed=2)


def browser(sandbox):
    return httpx.Client(transport=sandbox.transport(), base_url="http://sandbox.test", headers=BROWSER)


def test_a_browser_gets_the_html_page_and_a_script_gets_json(sandbox):
    page = browser(sandbox).get("/sandbox/")
    assert page.headers["Content-Type"].startswith("text/html")
    assert "<h1>" in page.text and "Inject a fault" in page.text and "Recent requests" in page.text
    data = httpx.Client(transport=sandbox.transport(), base_url="http://sandbox.test").get("/sandbox/")
    assert data.headers["Content-Type"] == "application/json" and isinstance(data.json(), dict)


def test_the_fault_form_arms_a_fault_and_redirects_back_with_a_message(sandbox):
    client = browser(sandbox)
    answer = client.post("/sandbox/faults", data={"kind": "503", "method": "", "path_contains": "/nowhere",
                                                  "times": "2"})
    assert answer.status_code == 303 and answer.headers["Location"].startswith("/sandbox/?message=")
    assert sandbox.faults.describe() == [{"kind": "503", "method": None, "path_contains": "/nowhere", "times": 2}]
    assert "/nowhere" in client.get("/sandbox/").text
    client.post("/sandbox/faults/clear")
    assert sandbox.faults.describe() == []


def test_a_bad_form_redirects_with_the_error_and_changes_nothing(sandbox):
    answer = browser(sandbox).post("/sandbox/faults", data={"kind": "meteor"})
    assert answer.status_code == 303 and "error=" in answer.headers["Location"]
    assert "meteor" in browser(sandbox).get(answer.headers["Location"]).text
    assert sandbox.faults.describe() == []


def test_lightspeed_page_completes_voids_and_changes_stock():
    sb = LightspeedSandbox(items=30, shops=1, registers=2, clock=FakeClock())
    with sb.state.lock:
        sale = sales.sale_create(sb, {"employeeID": 1, "shopID": 1, "registerID": 1, "referenceNumber": "R-7",
                                      "SaleLines": {"SaleLine": {"itemID": 3, "unitQuantity": 1}}})
    client = browser(sb)
    assert "R-7" in client.get("/sandbox/").text
    assert client.post("/sandbox/sales/complete", data={"sale_id": sale.sale_id}).status_code == 303
    assert sb.state.sales[sale.sale_id].completed
    assert client.post("/sandbox/sales/void", data={"sale_id": sale.sale_id}).status_code == 303
    assert sb.state.sales[sale.sale_id].voided
    assert client.post("/sandbox/stock", data={"item_id": 3, "shop_id": 1, "qoh": 9}).status_code == 303
    assert next(r.qoh for r in sb.state.item_shops_by_item[3] if r.shop_id == 1) == 9


def test_miinto_page_adds_an_order():
    sb = MiintoSandbox(clock=FakeClock(), seed=2)
    answer = browser(sb).post("/sandbox/orders", data={"shop_id": sb.shop_ids[1], "gtin": "5700000000017",
                                                       "quantity": "2", "price": "12500", "name": "Kari Nordmann",
                                                       "email": "kari@example.com"})
    assert answer.status_code == 303
    (transfer,) = sb.transfers.values()
    assert transfer["shopId"] == sb.shop_ids[1] and transfer["positions"][0]["quantity"] == 2
    assert transfer["billingInformation"]["name"] == "Kari Nordmann"
    assert str(transfer["id"]) in browser(sb).get("/sandbox/").text


def test_the_injector_never_faults_the_control_surface_and_counts_down():
    faults = FaultInjector(("500",))
    faults.inject("500", method="get", times=2)
    assert faults.take("GET", "/sandbox/") is None
    assert [faults.take("GET", "/x"), faults.take("POST", "/x"), faults.take("GET", "/y"),
            faults.take("GET", "/z")] == ["500", None, "500", None]
    with pytest.raises(ValueError):
        faults.inject("timeout")


def test_the_transport_plays_network_faults_for_every_sandbox(sandbox):
    client = httpx.Client(transport=sandbox.transport(), base_url="http://sandbox.test")
    sandbox.faults.inject("timeout", path_contains="/status")
    with pytest.raises(httpx.ReadTimeout):
        client.get("/status")
    assert sandbox.request_log[-1]["fault"] == "timeout" and sandbox.request_log[-1]["status"] == 504
