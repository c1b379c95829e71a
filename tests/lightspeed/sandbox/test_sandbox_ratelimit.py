"""The 2026 bucket: size/drip per register, cost table, overflow-once, burst limiter, headers."""
import httpx
import pytest

from connector.clock import FakeClock
from lightspeed.sandbox import LightspeedSandbox

from .conftest import BASE, Api, token_pair


def make_api(registers=1, time_scale=1.0, tick=0.0):
    clock = FakeClock()
    sb = LightspeedSandbox(items=30, shops=1, registers=registers, seed=3, clock=clock, time_scale=time_scale)
    http = httpx.Client(transport=sb.transport(), base_url=BASE)
    return Api(sb, http, token_pair(sb, http)["access_token"], tick=tick), clock


def level(response):
    value, size = response.headers["X-LS-Api-Bucket-Level"].split("/")
    return float(value), int(size)


@pytest.mark.parametrize("registers,size,drip,burst", [(1, 90, "1", 20), (2, 100, "1.5", 22), (5, 130, "3", 28)])
def test_bucket_size_drip_and_headers_follow_registers(registers, size, drip, burst):
    api, _ = make_api(registers)
    response = api.get("Item.json")
    assert response.headers["X-LS-Api-Bucket-Level"] == f"1/{size}"
    assert response.headers["X-LS-Api-Drip-Rate"] == drip
    assert response.headers["X-LS-API-Burst-Level"] == f"1/{burst}"
    assert response.headers["X-LS-Api-Request-Cost"] == "1"
    assert response.headers["X-LS-Acct-Id"] == str(api.sb.account_id)
    assert response.headers["X-LS-Oauth-Client-Id"]


@pytest.mark.parametrize("path,params,cost", [
    ("Item.json", {}, "1"),
    ("Item/1.json", {"load_relations": '["Category"]'}, "1.1"),
    ("Item/1.json", {"load_relations": '["ItemShops"]'}, "1.2"),
    ("Item.json", {"load_relations": '["ItemShops","Category"]'}, "1.6"),
    ("Sale.json", {"load_relations": '["SaleLines","SaleLines.Item"]'}, "1.6"),
    ("Item.json", {"count": "1"}, "10"),
    ("Item.json", {"or": "itemID=1|itemID=2"}, "1"),
    ("Item.json", {"or": "itemID=1|customSku=x"}, "3"),
    ("Item.json", {"or": "itemID=>,1|timeStamp=>,2020-01-01T00:00:00Z"}, "12"),
])
def test_read_costs(path, params, cost):
    api, _ = make_api()
    assert api.get(path, **params).headers["X-LS-Api-Request-Cost"] == cost


def test_load_relations_all_costs_the_sum():
    api, _ = make_api()
    cost = float(api.get("Item.json", load_relations="all").headers["X-LS-Api-Request-Cost"])
    from lightspeed.sandbox.resources import ITEM, relation_cost
    expected = 1 + sum(relation_cost(ITEM, n, True) for n in ITEM.relations if not n.startswith("CustomField"))
    assert cost == pytest.approx(expected)


def test_write_costs():
    api, _ = make_api()
    body = {"employeeID": 1, "shopID": 1, "registerID": 1, "completed": True,
            "SaleLines": {"SaleLine": [{"itemID": 1, "unitQuantity": 1, "unitPrice": 10},
                                       {"itemID": 2, "unitQuantity": 1, "unitPrice": 5}]},
            "SalePayments": {"SalePayment": {"amount": 15, "paymentTypeID": 1}}}
    response = api.post("Sale.json", body)
    assert response.status_code == 200 and response.headers["X-LS-Api-Request-Cost"] == "6.5"
    open_sale = api.post("Sale.json", {"employeeID": 1, "shopID": 1, "registerID": 1})
    assert open_sale.headers["X-LS-Api-Request-Cost"] == "2"
    customer = api.post("Customer.json", {"firstName": "A", "Contact": {"Emails": {"ContactEmail": {
        "address": "a@example.com", "useType": "Primary"}}}})
    assert customer.headers["X-LS-Api-Request-Cost"] == "2"
    assert api.post("Category.json", {"name": "x"}).headers["X-LS-Api-Request-Cost"] == "10"


def test_overflow_once_then_429_with_retry_after():
    api, clock = make_api()
    for _ in range(9):
        assert api.get("Item.json", count="1").status_code == 200  # 90/90: full, not above
    overflowing = api.get("Item.json", count="1")
    assert overflowing.status_code == 200 and level(overflowing) == (100.0, 90)
    refused = api.get("Item.json")
    assert refused.status_code == 429
    assert refused.headers["X-LS-API-RateLimit-Type"] == "api-leaky-bucket"
    assert refused.headers["Retry-After"] == "10"
    assert refused.json()["httpCode"] == "429"
    assert level(refused) == (100.0, 90)  # a refused request costs nothing
    clock.advance(9)
    assert api.get("Item.json").headers["Retry-After"] == "1"
    clock.advance(1)
    assert api.get("Item.json").status_code == 200


def test_drip_over_fake_clock_time_and_time_scale():
    api, clock = make_api(registers=2)
    api.get("Item.json", count="1")
    clock.advance(2)
    assert level(api.get("Item.json")) == (10 - 3 + 1, 100)  # drained 1.5/s for 2 s, then +1
    scaled, scaled_clock = make_api(registers=1, time_scale=4)
    scaled.get("Item.json", count="1")
    scaled_clock.advance(1)
    assert level(scaled.get("Item.json")) == (10 - 4 + 1, 90)


def test_burst_limiter_fixed_one_second_windows():
    api, clock = make_api()
    statuses = [api.get("Item.json").status_code for _ in range(21)]
    assert statuses == [200] * 20 + [429]
    refused = api.get("Item.json")
    assert refused.headers["X-LS-API-RateLimit-Type"] == "api-burst-limiter"
    assert refused.headers["Retry-After"] == "1"
    clock.advance(1)
    assert api.get("Item.json").headers["X-LS-API-Burst-Level"] == "1/20"


def test_bucket_per_oauth_client_and_reset():
    api, _ = make_api()
    other = api.sb.register_client("other-client", "s3cret", "http://127.0.0.1/cb")
    code = api.sb.issue_code(client_id=other.client_id)
    token = api.http.post("/auth/oauth/token", data={"client_id": "other-client", "client_secret": "s3cret",
                                                     "grant_type": "authorization_code", "code": code}).json()
    for _ in range(5):
        api.get("Item.json", count="1")
    other_api = Api(api.sb, api.http, token["access_token"], tick=0)
    assert level(other_api.get("Item.json"))[0] == 1
    api.sb.reset_bucket()
    assert level(api.get("Item.json"))[0] == 1


def test_request_log_records_costs():
    api, _ = make_api()
    api.get("Item.json", count="1")
    entry = api.sb.request_log[-1]
    assert entry["method"] == "GET" and entry["status"] == 200 and entry["cost"] == 10.0
    assert entry["path"].endswith("/Item.json") and entry["query"] == "count=1"
    for _ in range(10):
        api.get("Item.json", count="1")
    assert api.sb.request_log[-1]["status"] == 429 and api.sb.request_log[-1]["cost"] == 0.0


def test_bucket_ignores_a_clock_stepping_back():
    from lightspeed.sandbox.ratelimit import Bucket
    bucket = Bucket(90, 1, 20)
    assert bucket.admit(100.0, 10) is None
    assert bucket.admit(99.0, 1) is None and bucket.level == 11
    assert bucket.admit(101.5, 1) is None and bucket.level == 12 - 1.5
