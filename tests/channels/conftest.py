"""Shared fixtures for every channel's tests: a tenant connected to the Lightspeed sandbox, mirror synced.

    def test_something(ls_tenant, ls_sandbox, clock): ...

`ls_sandbox` routes the Lightspeed client (and its OAuth) to an in-memory sandbox on the test's FakeClock;
`ls_tenant` connects the tenant through the real OAuth code flow and runs the reference and catalog syncs.
"""

import pytest

from connector.runs import run_job
from tests.lightspeed_sandbox import connect, sandbox_routed

LS_ITEMS = 40


@pytest.fixture
def ls_sandbox(clock, settings):
    yield from sandbox_routed(clock, settings, items=LS_ITEMS)


@pytest.fixture
def ls_tenant(tenant, ls_sandbox, clock):
    connect(tenant, ls_sandbox, clock)
    for job in ("lightspeed.reference_sync", "lightspeed.catalog_sync"):
        run = run_job(tenant=tenant, job=job, clock=clock)
        assert run.status == "succeeded", f"{job}: {run.error}"
    return tenant
