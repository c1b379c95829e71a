"""The client: token from POST /rest/api/token, renewed before its 60 minutes end, a new login once on a 401,
Sellercloud's error bodies in the messages, and the 429 body's reset time respected."""
import pytest

from channels.sellercloud.client import SellercloudClient, api_base_url, reset_seconds
from connector.http import Misconfigured, Transient


def logins(sc):
    return sum(1 for r in sc.request_log if r["path"].lower().endswith("/api/token"))


@pytest.fixture
def client(sc, clock):
    return SellercloudClient(username=sc.username, password=sc.password, cache_key=("t", 1), clock=clock)


def test_one_login_serves_calls_until_shortly_before_expiry(client, sc, clock):
    client.warehouses()
    client.companies([sc.company_id])
    assert logins(sc) == 1
    clock.advance(3600 - 301)
    client.warehouses()
    assert logins(sc) == 1
    clock.advance(2)  # inside the renewal margin: a new token before the old one expires
    client.warehouses()
    assert logins(sc) == 2
    assert not [r for r in sc.request_log if r["status"] == 401]


def test_a_401_mid_session_logs_in_again_once(client, sc):
    client.warehouses()
    sc.inject_fault("401", path_contains="/api/Warehouses")
    assert [w["Name"] for w in client.warehouses()][-1] == "Returns"
    assert logins(sc) == 2


def test_a_refused_login_is_a_config_error_with_sellercloud_s_message(sc, clock):
    bad = SellercloudClient(username=sc.username, password="nope", cache_key=("t", 2), clock=clock)
    with pytest.raises(Misconfigured, match="Sorry, invalid username or password"):
        bad.warehouses()


def test_a_429_waits_for_the_reset_time_of_its_body(client, sc, clock):
    client.warehouses()
    sc.inject_fault("429", path_contains="/api/Warehouses")
    before = clock.time()
    assert client.warehouses()
    assert clock.time() - before >= 59  # the body's RateLimitResetTime is a minute out


def test_5xx_reads_are_retried_but_creates_are_not(client, sc):
    sc.inject_fault("503", path_contains="/api/Warehouses")
    assert client.warehouses()
    sc.inject_fault("500", method="POST", path_contains="/api/Orders")
    with pytest.raises(Transient):
        client.order_create({"OrderDetails": {}})
    assert not sc.orders


def test_paging_reads_every_page(client, sc):
    for n in range(120):
        sc.product_add(f"P{n:03d}", name="p")
    assert len(list(client.catalog({}))) == 121  # with the UNKNOWN product


def test_reset_seconds_and_base_url(settings):
    assert reset_seconds({"RateLimitResetTime": "2022-01-14T09:38:49.9856571Z"}, 1642153100.0) == pytest.approx(29.98,
                                                                                                            abs=0.1)
    settings.SELLERCLOUD_API_URL = "https://{server}.api.sellercloud.com/rest"
    assert api_base_url("tt") == "https://tt.api.sellercloud.com/rest"
    assert api_base_url("myteam.api.sellercloud.us") == "https://myteam.api.sellercloud.us/rest"
