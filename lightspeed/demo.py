"""Demo data (`manage.py demo_seed`): connect the demo tenant to the Lightspeed sandbox.

The OAuth round trip runs without a browser: the sandbox's control surface issues the code the
owner's approval would. Only against a sandbox on loopback; never against the real Lightspeed.
"""
from urllib.parse import parse_qs, urlsplit

import httpx
from django.conf import settings

from connector.http import transport_overrides
from connector.sandbox_server import is_loopback

from .models import Connection
from .services import connection_authorize_url, connection_complete



def demo_seed(*, tenant, stdout):
    if not is_loopback(settings.LIGHTSPEED_AUTH_URL):
        stdout.write("lightspeed: LIGHTSPEED_AUTH_URL is not a local sandbox; demo connection skipped")
        return None
    connection = Connection.objects.for_tenant(tenant).first()
    if connection is not None and connection.status == Connection.Status.CONNECTED:
        stdout.write(f"lightspeed: demo tenant already connected (account {connection.account_id})")
        return connection
    query = parse_qs(urlsplit(connection_authorize_url(tenant=tenant)).query)
    code = _sandbox_code(code_challenge=query["code_challenge"][0], method=query["code_challenge_method"][0])
    connection = connection_complete(tenant=tenant, code=code, state=query["state"][0])
    stdout.write(f"lightspeed: demo tenant connected to the sandbox (account {connection.account_id})")
    return connection


def _sandbox_code(*, code_challenge, method):
    with httpx.Client(base_url=settings.LIGHTSPEED_AUTH_URL, transport=transport_overrides.get("lightspeed"),
                      timeout=10) as client:
        response = client.post("/sandbox/oauth/code", data={
            "client_id": settings.LIGHTSPEED_CLIENT_ID, "code_challenge": code_challenge,
            "code_challenge_method": method,
        })
        response.raise_for_status()
        return response.json()["code"]
