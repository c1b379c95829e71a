"""Issue 15 §11: the settings form shows every error at once, country is a choice, and the secret's hint says
what happens to a typed secret after an error."""
import pytest
from django.urls import reverse

from .feed_mirror import mirror_basics

pytestmark = pytest.mark.django_db


def test_every_error_shows_on_the_first_submit(owner_client, owner):
    mirror_basics(owner.tenant)
    response = owner_client.post(reverse("miinto:settings"), {
        "feed_currency": "dk", "shipping_method_map": "no equals sign here", "order_prefix": "",
        "unfulfillable_policy": "decline", "void_policy": "leave",
        "shops-0-shop_id": "1-m!i!s-045-1234", "shops-0-country": "DK", "shops-0-lightspeed_shop_ls_id": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert "should look like" in html  # the form's own check (shipping line)
    assert "three-letter currency code" in html  # the service's checks, in the same answer
    assert "choose the Lightspeed shop whose stock it sells" in html


def test_country_is_a_choice_not_free_text(owner_client, owner):
    mirror_basics(owner.tenant)
    html = owner_client.get(reverse("miinto:settings")).content.decode()
    assert '<select name="shops-0-country"' in html and '<option value="DK">Denmark</option>' in html
    response = owner_client.post(reverse("miinto:settings"), {
        "feed_currency": "DKK", "unfulfillable_policy": "decline", "void_policy": "leave",
        "shops-0-shop_id": "1-m!i!s-045-1234", "shops-0-country": "Denmark", "shops-0-lightspeed_shop_ls_id": "1"})
    assert response.status_code == 400 and "Select a valid choice" in response.content.decode()


def test_a_typed_secret_is_asked_again_after_an_error(owner_client, owner):
    html = owner_client.get(reverse("miinto:settings")).content.decode()
    assert "Leave blank to keep the stored secret" not in html, "nothing is stored yet"
    response = owner_client.post(reverse("miinto:settings"), {
        "identifier": "chan", "secret": "s3cr3t-typed-value", "feed_currency": "dk", "unfulfillable_policy": "decline",
        "void_policy": "leave"})
    html = response.content.decode()
    assert "Type it again" in html and "s3cr3t-typed-value" not in html
