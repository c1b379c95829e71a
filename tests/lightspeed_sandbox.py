"""The Lightspeed sandbox as tests use it: routed to the client by transport, and connected by OAuth.

    @pytest.fixture
    def sandbox(clock, settings):
        yield from sandbox_routed(clock, settings, items=40)
"""
from urllib.parse import parse_qs, urlparse

from connector.http import transport_overrides
from lightspeed.sandbox import LightspeedSandbox
from lightspeed.services import connection_authorize_url, connection_complete


def make_sandbox(clock, settings, **kwargs):
    """A sandbox on the test's clock that the Lightspeed client (and its OAuth) now talks to."""
    sandbox = LightspeedSandbox(clock=clock, **{"items": 200, "shops": 2, "registers": 3, "seed": 1, **kwargs})
    settings.LIGHTSPEED_CLIENT_ID = sandbox.client_id
    settings.LIGHTSPEED_CLIENT_SECRET = sandbox.client_secret
    transport_overrides["lightspeed"] = sandbox.transport()
    return sandbox


def sandbox_routed(clock, settings, **kwargs):
    """For fixtures: `yield from` it; the client stops talking to the sandbox when the test ends."""
    yield make_sandbox(clock, settings, **kwargs)
    transport_overrides.pop("lightspeed", None)


def connect(tenant, sandbox, clock):
    """The OAuth round trip, with the sandbox's code shortcut standing in for the owner's approval."""
    query = parse_qs(urlparse(connection_authorize_url(tenant=tenant)).query)
    code = sandbox.issue_code(code_challenge=query["code_challenge"][0],
                              code_challenge_method=query["code_challenge_method"][0])
    return connection_complete(tenant=tenant, code=code, state=query["state"][0], clock=clock)
