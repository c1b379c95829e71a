"""Connect Lightspeed from the owner's page: the OAuth round trip against the sandbox, health, disconnect."""
from urllib.parse import parse_qs, urlparse

import pytest
from django.urls import reverse

from lightspeed.models import Connection
from tests.lightspeed_sandbox import sandbox_routed


@pytest.fixture
def sandbox(clock, settings):
    yield from sandbox_routed(clock, settings, items=10, shops=2, registers=2, seed=3)


def connect_through_pages(client, sandbox):
    response = client.post(reverse("lightspeed:connect"))
    assert response.status_code == 302
    authorize = urlparse(response["Location"])
    assert authorize.path == "/auth/oauth/authorize"
    query = parse_qs(authorize.query)
    code = sandbox.issue_code(code_challenge=query["code_challenge"][0],
                              code_challenge_method=query["code_challenge_method"][0])
    return client.get(reverse("lightspeed:callback"), {"code": code, "state": query["state"][0]}, follow=True)


def test_connect_round_trip_shows_connected(owner_client, owner, sandbox):
    response = connect_through_pages(owner_client, sandbox)
    assert response.redirect_chain[-1][0] == reverse("lightspeed:mappings")
    assert "Lightspeed is connected" in response.content.decode()
    html = owner_client.get(reverse("lightspeed:connection")).content.decode()
    assert 'data-health="connected"' in html and str(sandbox.account_id) in html


def test_disconnect(owner_client, owner, sandbox):
    connect_through_pages(owner_client, sandbox)
    response = owner_client.post(reverse("lightspeed:disconnect"), follow=True)
    assert "disconnected" in response.content.decode()
    assert Connection.objects.for_tenant(owner.tenant).get().status == Connection.Status.DISCONNECTED


def test_callback_with_a_foreign_state_is_refused(owner_client, sandbox):
    owner_client.post(reverse("lightspeed:connect"))
    response = owner_client.get(reverse("lightspeed:callback"), {"code": "x", "state": "forged"}, follow=True)
    assert "Connecting Lightspeed failed" in response.content.decode()


def test_denied_access_says_so(owner_client, sandbox):
    response = owner_client.get(reverse("lightspeed:callback"), {"error": "access_denied", "state": "s"}, follow=True)
    assert "did not grant access" in response.content.decode()
