import pytest

from tests.lightspeed_sandbox import connect, make_sandbox, sandbox_routed  # noqa: F401  (re-exported to tests)


@pytest.fixture
def sandbox(clock, settings):
    yield from sandbox_routed(clock, settings)


@pytest.fixture
def connected(tenant, sandbox, clock):
    return connect(tenant, sandbox, clock)


def api_requests(sandbox, path_contains=""):
    return [r for r in sandbox.request_log if r["path"].startswith("/API/") and path_contains in r["path"]]


def token_requests(sandbox):
    return [r for r in sandbox.request_log if "token" in r["path"]]
