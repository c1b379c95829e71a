"""Shared fixtures for every channel's tests: a tenant connected to the Lightspeed sandbox, mirror synced.

    def test_something(ls_tenant, ls_sandbox, clock): ...

`ls_sandbox` routes the Lightspeed client (and its OAuth) to an in-memory sandbox on the test's FakeClock;
`ls_tenant` connects the tenant through the real OAuth code flow and runs the reference and catalog syncs.
"""
import base64
import hashlib

import pytest

from connector.http import transport_overrides
from connector.runs import run_job

LS_ITEMS = 40


@pytest.fixture
def ls_sandbox(clock):
    from lightspeed.sandbox import LightspeedSandbox


    sandbox = LightspeedSandbox(items=LS_ITEMS, shops=2, registers=3, seed=1, clock=clock)
    transport_overrides["lightspeed"] = sandbox.transport()
    yield sandbox
    transport_overrides.pop("lightspeed", None)


def ls_connect(*, tenant, sandbox, clock):
    """Connect `tenant` to `sandbox` the way an owner would (authorize URL, PKCE code, exchange)."""
    from lightspeed.models import Connection
    from lightspeed.services import connection_authorize_url, connection_complete

    connection_authorize_url(tenant=tenant)
    pending = Connection.objects.for_tenant(tenant).get()  # the state and PKCE verifier the owner's browser carries
    state, verifier = pending.oauth_state, pending.oauth_code_verifier
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    code = sandbox.issue_code(code_challenge=challenge, code_challenge_method="S256")
    return connection_complete(tenant=tenant, code=code, state=state, clock=clock)


@pytest.fixture
def ls_tenant(tenant, ls_sandbox, clock):
    ls_connect(tenant=tenant, sandbox=ls_sandbox, clock=clock)
    for job in ("lightspeed.reference_sync", "lightspeed.catalog_sync"):
        run = run_job(tenant=tenant, job=job, clock=clock)
        assert run.status == "succeeded", f"{job}: {run.error}"
    return tenant
