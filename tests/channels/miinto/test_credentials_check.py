"""Issue 15 §4: Miinto credentials are checked on save, with "Test connection", and before switching on."""
import json

import pytest
from django.urls import reverse

from channels.miinto.models import MiintoSettings
from connector.models import Schedule

pytestmark = pytest.mark.django_db


@pytest.fixture
def page_data(miinto_sandbox):
    def data(**changes):
        values = {"identifier": miinto_sandbox.identifier, "secret": miinto_sandbox.secret, "feed_currency": "DKK",
                  "order_prefix": "", "unfulfillable_policy": "decline", "void_policy": "leave"}
        return {**values, **changes}

    return data


def _stored(tenant):
    return MiintoSettings.objects.for_tenant(tenant).filter(tenant=tenant).first()


def test_a_wrong_secret_is_refused_on_save_and_nothing_is_saved(owner_client, owner, page_data):
    response = owner_client.post(reverse("miinto:settings"), page_data(secret="wrong"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Miinto refused this channel identifier and secret" in html and "Nothing was saved" in html
    assert not (_stored(owner.tenant) and _stored(owner.tenant).secret)


def test_right_credentials_are_saved(owner_client, owner, page_data, miinto_sandbox):
    assert owner_client.post(reverse("miinto:settings"), page_data()).status_code == 302
    assert _stored(owner.tenant).secret == miinto_sandbox.secret


def test_the_api_refuses_a_wrong_secret(owner_client, owner, miinto_sandbox):
    response = owner_client.patch(reverse("api:miinto:settings"), json.dumps(
        {"identifier": miinto_sandbox.identifier, "secret": "wrong"}), content_type="application/json")
    assert response.status_code == 400 and "refused" in response.content.decode()


def test_test_connection_answers_without_saving(owner_client, owner, page_data):
    url = reverse("channel_test", args=["miinto"])
    bad = owner_client.post(url, page_data(secret="wrong"), HTTP_HX_REQUEST="true").content.decode()
    assert 'data-test-ok="no"' in bad and "Miinto refused" in bad
    good = owner_client.post(url, page_data(), HTTP_HX_REQUEST="true").content.decode()
    assert 'data-test-ok="yes"' in good
    assert not (_stored(owner.tenant) and _stored(owner.tenant).secret), "a test saves nothing"
    page = owner_client.get(reverse("miinto:settings")).content.decode()
    assert 'data-test-connection="miinto"' in page and f'formaction="{url}"' in page


def test_test_connection_names_a_shop_id_that_is_not_the_channels(owner_client, page_data):
    html = owner_client.post(reverse("channel_test", args=["miinto"]), page_data(**{"shops-0-shop_id": "9-nope"}),
                             HTTP_HX_REQUEST="true").content.decode()
    assert "Miinto shop 9-nope is not one of this channel" in html


def test_switching_on_with_failing_credentials_is_refused(owner_client, owner, miinto_sandbox):
    MiintoSettings.objects.for_tenant(owner.tenant).create(
        tenant=owner.tenant, identifier=miinto_sandbox.identifier, secret="wrong")
    html = owner_client.post(reverse("channel_switch", args=["miinto"]), {"on": "1"}, follow=True).content.decode()
    assert "Miinto stays off: Miinto refused" in html
    assert not Schedule.objects.for_tenant(owner.tenant).filter(enabled=True).exists()
    assert not _stored(owner.tenant).enabled
