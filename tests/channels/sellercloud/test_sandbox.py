"""The sandbox follows channels-deep.md §2.3/§2.6 (clients written against the real API run against it)."""
import json
from datetime import datetime, timezone

import httpx
import pytest

from channels.sellercloud.sandbox import SellercloudSandbox


@pytest.fixture
def http(sc):
    with httpx.Client(base_url="http://sc.test/rest", transport=sc.transport()) as client:
        yield client


def login(http, sc):
    return http.post("/api/token", json={"Username": sc.username, "Password": sc.password}).json()["access_token"]


def authed(http, sc):
    http.headers["Authorization"] = f"Bearer {login(http, sc)}"
    return http


@pytest.mark.parametrize("send", [
    lambda h, u, p: h.post("/api/token", json={"Username": u, "Password": p}),
    lambda h, u, p: h.post("/api/token", json={"username": u, "password": p}),  # tap-sellercloud's lower case
    lambda h, u, p: h.post("/api/token", content=json.dumps({"USERNAME": u, "Password": p}),
                           headers={"Content-Type": "text/json"}),
    lambda h, u, p: h.post("/api/token", data={"Username": u, "Password": p}),  # form body
])
def test_token_in_every_documented_body(http, sc, send):
    body = send(http, sc.username, sc.password).json()
    assert body["token_type"] == "Bearer" and body["expires_in"] == 3600.0 and body["access_token"]
    assert body["username"] == sc.username and body[".issued"] and body[".expires"]


def test_bad_credentials_answer_400_with_message(http, sc):
    response = http.post("/api/token", json={"Username": sc.username, "Password": "wrong"})
    assert response.status_code == 400 and response.json() == {"Message": "Sorry, invalid username or password"}


def test_calls_need_a_bearer_and_it_expires(clock, http, sc):
    denied = {"Message": "Authorization has been denied for this request."}
    assert http.get("/api/Companies").status_code == 401 and http.get("/api/Companies").json() == denied
    authed(http, sc)
    assert http.get("/api/Companies").status_code == 200
    clock.advance(3600)
    assert http.get("/api/Companies").status_code == 401


def test_token_lifetime_is_a_setting(clock):
    sandbox = SellercloudSandbox(clock=clock, token_ttl=1800)
    with httpx.Client(base_url="http://sc.test/rest", transport=sandbox.transport()) as http:
        assert authed(http, sandbox).get("/api/Warehouses").status_code == 200
        clock.advance(1800)
        assert http.get("/api/Warehouses").status_code == 401


def test_rate_limit_body_past_10800_an_hour(clock):
    sandbox = SellercloudSandbox(clock=clock, rate_limit=3)
    with httpx.Client(base_url="http://sc.test/rest", transport=sandbox.transport()) as http:
        authed(http, sandbox)
        assert [http.get("/api/Warehouses").status_code for _ in range(2)] == [200, 200]
        over = http.get("/api/Warehouses")
        assert over.status_code == 429 and over.json()["Error"] == "Too many requests."
        reset = over.json()["RateLimitResetTime"]
        assert reset.endswith("Z") and len(reset.split(".")[1]) == 8  # seven digits and the Z
        clock.advance(3600)  # a new window (and a new token: the old one expired with it)
        assert authed(http, sandbox).get("/api/Warehouses").status_code == 200


def test_lists_take_repeated_model_keys_in_any_case(http, sc):
    authed(http, sc)
    ids = {sc.company_id, sc.company_id + 1}
    params = [("model.companyID", sc.company_id), ("MODEL.COMPANYID", sc.company_id + 1)]
    both = http.get("/api/Companies", params=params)
    assert both.json()["TotalResults"] == 2 and {c["ID"] for c in both.json()["Items"]} == ids
    one = http.get("/api/Warehouses", params={"model.warehouseIds": 3}).json()
    assert one == {"Items": [one["Items"][0]], "TotalResults": 1} and one["Items"][0]["Name"] == "Returns"


def _order(sc, n, sku="UNKNOWN"):
    return {"CustomerDetails": {"Email": "a@b.c", "FirstName": "A", "LastName": "B"},
            "OrderDetails": {"CompanyID": sc.company_id, "Channel": 0, "OrderSourceOrderID": str(n)},
            "ShippingAddress": {}, "BillingAddress": {}, "Products": [{"ProductID": sku, "Qty": 1, "SitePrice": 5}]}


def test_order_create_answers_a_bare_integer_and_lists_cap_at_50(http, sc):
    authed(http, sc)
    created = http.post("/api/Orders", json=_order(sc, 1))
    assert created.status_code == 200 and isinstance(created.json(), int)
    for n in range(2, 61):
        http.post("/api/Orders", json=_order(sc, n))
    page = http.get("/api/Orders", params={"model.pageSize": 200, "model.pageNumber": 1}).json()
    assert len(page["Items"]) == 50 and page["TotalResults"] == 60
    second = http.get("/api/Orders", params={"model.pageSize": 200, "model.pageNumber": 2}).json()
    assert len(second["Items"]) == 10
    found = http.get("/api/Orders", params=[("model.orderSourceOrderIDList", "7"),
                                            ("model.orderSourceOrderIDList", "9")]).json()
    assert sorted(o["OrderSourceOrderID"] for o in found["Items"]) == ["7", "9"]


def test_validation_errors_have_message_and_model_state(http, sc):
    authed(http, sc)
    response = http.post("/api/Orders", json={"OrderDetails": {}})
    body = response.json()
    assert response.status_code == 400 and body["Message"] == "The request is invalid."
    assert "model.CustomerDetails" in body["ModelState"] and "model.OrderDetails.CompanyID" in body["ModelState"]
    unknown = http.post("/api/Orders", json=_order(sc, 1, sku="NOPE"))
    assert unknown.status_code == 400 and "NOPE" in unknown.json()["Message"]


def test_unknown_route_and_ids_answer_404_with_message(http, sc):
    authed(http, sc)
    assert "No HTTP resource" in http.get("/api/Nothing").json()["Message"]
    assert http.get("/api/Orders/1").status_code == 404 and "Message" in http.get("/api/Orders/1").json()


def test_calls_without_a_schema_answer_200_empty_and_ship_deducts_the_warehouse(http, sc):
    authed(http, sc)
    sc.product_add("TEE", name="Tee", price="5")
    sc.stock_set("TEE", 2, 4)
    order_id = http.post("/api/Orders", json=_order(sc, 1, sku="TEE")).json()
    shipped = http.put("/api/Orders/ShippingStatus", json={"OrderID": order_id, "ShippingCarrier": "Other",
                                                          "ShippingService": "Pickup", "ShipFromWarehouseID": 2})
    assert shipped.status_code == 200 and shipped.content == b""
    assert sc.stock[("TEE", 2)] == 3
    order = http.get(f"/api/Orders/{order_id}").json()
    assert order["Statuses"]["ShippingStatus"] == 3 and order["ShippingDetails"]["Carrier"] == "Other"


def test_manual_payment_methods_are_the_documented_few(http, sc):
    authed(http, sc)
    order_id = http.post("/api/Orders", json=_order(sc, 1, sku="UNKNOWN")).json()
    assert http.put(f"/api/Orders/{order_id}/ReceiveManualPayment", json={"PaymentMethod": 1}).status_code == 400
    ok = http.put(f"/api/Orders/{order_id}/ReceiveManualPayment",
                  json={"PaymentMethod": 4, "Amount": 5, "ReferenceNumber": "LS-1"})
    order = http.get(f"/api/Orders/{order_id}").json()
    assert ok.status_code == 200 and order["Statuses"]["PaymentStatus"] == 30
    assert order["Payments"][0]["TransactionReferenceNumber"] == "LS-1"


def test_inventory_by_warehouse_and_last_updated(clock, http, sc):
    authed(http, sc)
    sc.product_add("A", name="A", upc="1")
    sc.stock_set("A", 1, 5)
    sc.stock_set("A", 2, 7)
    mark = clock.time()
    clock.advance(120)
    sc.product_add("B", name="B")
    sc.stock_set("B", 1, 2)
    row = http.get("/api/Inventory", params={"model.warehouse": 2}).json()["Items"]
    assert [(r["ID"], r["WarehousePhysicalQty"], r["PhysicalQty"]) for r in row] == [("A", 7, 12)]
    since = datetime.fromtimestamp(mark + 60, timezone.utc).strftime("%m/%d/%Y %H:%M")
    recent = http.get("/api/Inventory", params={"model.lastUpdatedFrom": since}).json()["Items"]
    assert [r["ID"] for r in recent] == ["B"]
    per = http.get("/api/Inventory/Warehouses", params={"productID": "A", "warehouseID": 1}).json()
    assert per == [{"ProductID": "A", "WarehouseID": 1, "PhysicalQty": 5, "AvailableQty": 5}]


def test_catalog_has_lightspeed_pos_enabled(http, sc):
    authed(http, sc)
    sc.product_add("ON", name="On", lightspeed=True)
    rows = {r["ID"]: r for r in http.get("/api/Catalog", params={"model.sKU": "ON"}).json()["Items"]}
    assert rows["ON"]["LightspeedPOSEnabled"] is True


def test_faults_500_and_401_mid_session(http, sc):
    authed(http, sc)
    sc.inject_fault("503", path_contains="/api/Warehouses")
    assert http.get("/api/Warehouses").status_code == 503
    assert http.get("/api/Warehouses").status_code == 200
    sc.inject_fault("401")
    assert http.get("/api/Warehouses").status_code == 401  # the token was revoked early
    assert http.get("/api/Warehouses").status_code == 401


def test_drop_after_commit_creates_the_order_and_loses_the_answer(http, sc):
    authed(http, sc)
    sc.inject_fault("drop_after_commit", method="POST", path_contains="/api/Orders")
    with pytest.raises(httpx.RemoteProtocolError):
        http.post("/api/Orders", json=_order(sc, 42))
    assert [o["OrderSourceOrderID"] for o in sc.orders.values()] == ["42"]


def test_control_page_and_api(sc):
    with httpx.Client(base_url="http://sc.test", transport=sc.transport()) as http:
        page = http.get("/sandbox/", headers={"Accept": "text/html"})
        assert page.status_code == 200 and sc.username in page.text and "Set stock" in page.text
        http.post("/sandbox/products", json={"sku": "N1", "name": "New", "price": "3.50"})
        http.post("/sandbox/stock", json={"sku": "N1", "warehouse_id": 2, "qty": 9})
        http.post("/sandbox/prices", json={"sku": "N1", "cost": "1.25"})
        products = {p["ID"]: p for p in http.get("/sandbox/products").json()}
        assert products["N1"]["stock"]["2"] == 9 and products["N1"]["SiteCost"] == "1.25"


def test_server_discovery_by_team(sc):
    with httpx.Client(base_url="http://sc.test", transport=sc.transport()) as http:
        found = http.get("/api/server-by-team/", params={"team": sc.team}).json()
        assert found["RestApiEndpoint"] == "http://sc.test/rest"
        missing = http.get("/api/server-by-team/", params={"team": "nope"}).json()
        assert missing == {"Success": False, "Message": "Team name not found. Please try again."}
