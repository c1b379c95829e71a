"""`next=` after a POST stays on this site."""
import pytest

from tests.web.conftest import tenant_data


@pytest.fixture
def order(owner):
    return tenant_data(owner.tenant, "MINE")["order"]


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "https:evil.example",
                                    "\\\\evil.example"])
def test_run_now_does_not_redirect_off_site(owner_client, target):
    response = owner_client.post("/jobs/miinto.feed_check/run/", {"next": target})
    assert response.status_code == 302 and response.url == "/"


def test_order_retry_does_not_redirect_off_site(owner_client, order):
    response = owner_client.post(f"/orders/{order.pk}/retry/", {"next": "https://evil.example/"})
    assert response.status_code == 302 and response.url == "/orders/"


def test_a_local_next_is_kept(owner_client, order):
    response = owner_client.post(f"/orders/{order.pk}/retry/", {"next": f"/orders/{order.pk}/"})
    assert response.url == f"/orders/{order.pk}/"
