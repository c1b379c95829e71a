"""Sign-ins are limited per account and per address on every door: /login/, /admin/login/, /api/token/."""
import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from tests.isolation import member_create

LIMIT = settings.AXES_FAILURE_LIMIT


@pytest.fixture
def shop(db):
    return member_create(slug="shop-a")  # password "pw-shop-a"


def _fail(client, url, username, n, **extra):
    for _ in range(n):
        client.post(url, {"username": username, "password": "wrong"}, **extra)


def test_login_page_locks_the_account_and_says_why(client, shop):
    _fail(client, "/login/", shop.user.username, LIMIT)
    response = client.post("/login/", {"username": shop.user.username, "password": "pw-shop-a"})
    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_account_lock_holds_from_another_address(client, shop):
    _fail(client, "/login/", shop.user.username, LIMIT, REMOTE_ADDR="10.0.0.1")
    response = client.post("/login/", {"username": shop.user.username, "password": "pw-shop-a"},
                           REMOTE_ADDR="10.0.0.2")
    assert response.status_code == 429


def test_one_address_guessing_many_accounts_is_locked(client, shop):
    for i in range(LIMIT):
        client.post("/login/", {"username": f"nobody{i}@example.com", "password": "wrong"}, REMOTE_ADDR="10.0.0.9")
    response = client.post("/login/", {"username": shop.user.username, "password": "pw-shop-a"},
                           REMOTE_ADDR="10.0.0.9")
    assert response.status_code == 429


def test_a_few_mistakes_still_let_the_owner_in(client, shop):
    _fail(client, "/login/", shop.user.username, LIMIT - 1)
    response = client.post("/login/", {"username": shop.user.username, "password": "pw-shop-a"})
    assert response.status_code == 302
    _fail(client, "/login/", shop.user.username, LIMIT - 1)  # a success resets the count
    client.logout()
    assert client.post("/login/", {"username": shop.user.username, "password": "pw-shop-a"}).status_code == 302


def test_api_token_is_limited_with_a_json_message(shop):
    client = APIClient()
    _fail(client, "/api/token/", shop.user.username, LIMIT)
    response = client.post("/api/token/", {"username": shop.user.username, "password": "pw-shop-a"}, format="json")
    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.json()["detail"]
    assert "token" not in response.json()


def test_admin_login_is_limited(client, db):
    get_user_model().objects.create_superuser("support@example.com", "support@example.com", "pw-support")
    _fail(client, "/admin/login/", "support@example.com", LIMIT)
    response = client.post("/admin/login/", {"username": "support@example.com", "password": "pw-support"})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_forwarded_for_counts_only_behind_a_trusted_proxy(client, shop, settings):
    # Without a trusted proxy a client cannot dodge the address limit by inventing X-Forwarded-For.
    for i in range(LIMIT):
        client.post("/login/", {"username": f"x{i}@example.com", "password": "wrong"},
                    HTTP_X_FORWARDED_FOR=f"192.0.2.{i}")
    assert client.post("/login/", {"username": shop.user.username, "password": "pw-shop-a"},
                       HTTP_X_FORWARDED_FOR="192.0.2.200").status_code == 429
