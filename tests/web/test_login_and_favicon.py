"""Issue 15 §17: sign-in asks for the email (accounts are email addresses), in any case; no page 404s on
/favicon.ico."""
import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_sign_in_asks_for_the_email(client, db):
    html = client.get(reverse("login")).content.decode()
    assert ">Email<" in html and ">Username<" not in html and 'type="email"' in html


def test_the_email_signs_in_in_any_case(client, owner):
    response = client.post(reverse("login"), {"username": owner.user.email.upper(), "password": "pw-shop-a"})
    assert response.status_code == 302


def test_favicon_is_served(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("favicon.svg")
    assert 'rel="icon"' in client.get(reverse("login")).content.decode()
