from urllib.parse import parse_qs, urlparse

import pytest

from connector.http import transport_overrides
from lightspeed.sandbox import LightspeedSandbox
from lightspeed.services import connection_authorize_url, connection_complete


def make_sandbox(clock, settings, **kwargs):
    sandbox = LightspeedSandbox(clock=clock, **{"items": 200, "shops": 2, "registers": 3, "seed": 1, **kwargs})
    settings.LIGHTSPEED_CLIENT_ID = sandbox.client_id
    settings.LIGHTSPEED_CLIENT_SECRET = sandbox.client_secret
    transport_overrides["lightspeed"] = sandbox.transport()
    return sandbox


@pytest.fixture
def sandbox(clock, settings):
    sandbox = make_sandbox(clock, settings)
    yield sandbox
    transport_overrides.pop("lightspeed", None)


def connect(tenant, sandbox, clock):
    """The OAuth round trip, with the sandbox's code shortcut standing in for the owner's approval."""
    query = parse_qs(urlparse(connection_authorize_url(tenant=tenant)).query)
    state = query["state"][0]
    code = sandbox.issue_code(code_challenge=query["code_challenge"][0],
                              code_challenge_method=query["code_challenge_method"][0])
    return connection_complete(tenant=tenant, code=code, state=state, clock=clock)


@pytest.fixture
def connected(tenant, sandbox, clock):
    return connect(tenant, sandbox, clock)


def api_requests(sandbox, path_contains=""):
    return [r for r in sandbox.request_log if r["path"].startswith("/API/") and path_contains in r["path"]]


def token_requests(sandbox):
    return [r for r in sandbox.request_log if "token" in r["path"]]
