"""Connect, refresh (once, under the row lock), invalid_grant, disconnect — against the sandbox."""
import threading
from datetime import timedelta

import httpx
import pytest
from django.db import connection as db_connection, connections

from connector.http import transport_overrides
from connector.models import Schedule
from connector.runs import run_job
from lightspeed import oauth
from lightspeed.client import lightspeed_client
from lightspeed.models import Connection
from lightspeed.selectors import connection_health
from lightspeed.services import connection_disconnect

from .conftest import api_requests, connect, token_requests


class RecordingTransport(httpx.BaseTransport):
    """Keeps each request's body so the token calls' encoding can be checked."""

    def __init__(self, inner):
        self.inner, self.requests = inner, []

    def handle_request(self, request):
        request.read()
        self.requests.append(request)
        return self.inner.handle_request(request)


def expire_access_token(tenant, clock):
    clock.advance(3601)


def test_connect_stores_encrypted_tokens_account_and_enables_the_syncs(connected, tenant, sandbox):
    assert connected.account_id == str(sandbox.account_id) and connected.status == "connected"
    with db_connection.cursor() as cursor:
        cursor.execute("SELECT access_token, refresh_token FROM lightspeed_connection WHERE id = %s", [connected.pk])
        raw_access, raw_refresh = cursor.fetchone()
    stored = Connection.objects.for_tenant(tenant).get()
    assert stored.access_token and raw_access != stored.access_token and stored.access_token not in raw_access
    assert raw_refresh != stored.refresh_token
    jobs = set(Schedule.objects.for_tenant(tenant).filter(enabled=True).values_list("job", flat=True))
    assert {"lightspeed.reference_sync", "lightspeed.catalog_sync"} <= jobs
    assert connection_health(tenant)[0] == "connected"


def test_token_requests_are_form_encoded_without_redirect_uri_or_refresh_scope(tenant, sandbox, clock):
    recording = RecordingTransport(sandbox.transport())
    transport_overrides["lightspeed"] = recording
    connect(tenant, sandbox, clock)
    expire_access_token(tenant, clock)
    with lightspeed_client(tenant, clock=clock) as client:
        client.get("Shop")
    bodies = [r for r in recording.requests if r.url.path == "/auth/oauth/token"]
    assert len(bodies) == 2
    for request in bodies:
        assert request.headers["content-type"].startswith("application/x-www-form-urlencoded")
    exchange, refresh = (dict(httpx.QueryParams(r.content.decode())) for r in bodies)
    assert exchange["grant_type"] == "authorization_code" and "redirect_uri" not in exchange
    assert exchange["code_verifier"] and exchange["client_secret"] == sandbox.client_secret
    assert refresh["grant_type"] == "refresh_token" and "scope" not in refresh


def test_expired_token_is_refreshed_once_before_the_call(connected, tenant, sandbox, clock):
    old_refresh = connected.refresh_token
    expire_access_token(tenant, clock)
    before = len(token_requests(sandbox))
    with lightspeed_client(tenant, clock=clock) as client:
        client.get("Shop")
        client.get("Register")
    assert len(token_requests(sandbox)) == before + 1
    assert Connection.objects.for_tenant(tenant).get().refresh_token != old_refresh  # rotated one stored
    assert all(r["status"] == 200 for r in api_requests(sandbox)[-2:])


def test_rejected_token_is_refreshed_once_and_the_call_retried(connected, tenant, sandbox, clock):
    expire_access_token(tenant, clock)  # the sandbox says expired; our row still believes it valid
    Connection.objects.for_tenant(tenant).update(expires_at=clock.now() + timedelta(hours=1))
    with lightspeed_client(tenant, clock=clock) as client:
        data = client.get("Shop")
        assert client.stats["refreshes_on_401"] == 1
    assert len(data["Shop"]) == 2
    assert [r["status"] for r in api_requests(sandbox, "/Shop")] == [401, 200]


@pytest.mark.django_db(transaction=True)
def test_two_workers_refreshing_at_once_leave_one_token_chain(tenant, sandbox, clock):
    connect(tenant, sandbox, clock)
    expire_access_token(tenant, clock)
    before = len(token_requests(sandbox))
    barrier, results = threading.Barrier(2), []

    def worker():
        try:
            with lightspeed_client(tenant, clock=clock) as client:
                barrier.wait()
                results.append(client.get("Shop")["Shop"][0]["shopID"])
        except Exception as exc:  # noqa: BLE001 — reported by the assertion below
            results.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == ["1", "1"]
    assert len(token_requests(sandbox)) == before + 1  # the second worker used the first one's token
    # The stored chain is alive: after the next expiry, a refresh with the stored token works.
    expire_access_token(tenant, clock)
    with lightspeed_client(tenant, clock=clock) as client:
        assert client.get("Shop")["Shop"]
    assert [r["status"] for r in token_requests(sandbox)][-2:] == [200, 200]


def test_invalid_grant_pauses_every_job_of_the_tenant_until_reconnected(connected, tenant, sandbox, clock):
    Schedule.objects.for_tenant(tenant).create(tenant=tenant, job="miinto.orders_import", interval_seconds=60,
                                               next_run_at=clock.now())
    assert oauth.token_revoke(refresh_token=connected.refresh_token)  # e.g. the merchant revoked the app
    run = run_job(tenant=tenant, job="lightspeed.catalog_sync", trigger="schedule", clock=clock)
    assert run.error_kind == "config" and run.error.startswith("Reconnect Lightspeed")
    reasons = set(Schedule.objects.for_tenant(tenant).values_list("paused_reason", flat=True))
    assert reasons == {oauth.RECONNECT_REASON}
    assert connection_health(tenant) == ("needs_reconnect", oauth.RECONNECT_REASON)
    connect(tenant, sandbox, clock)
    assert set(Schedule.objects.for_tenant(tenant).values_list("paused_reason", flat=True)) == {""}
    assert connection_health(tenant)[0] == "connected"


def test_disconnect_revokes_and_forgets_the_tokens(connected, tenant, clock):
    refresh = connected.refresh_token
    connection_disconnect(tenant=tenant)
    row = Connection.objects.for_tenant(tenant).get()
    assert row.status == "disconnected" and row.access_token == "" and row.refresh_token == ""
    with pytest.raises(oauth.ReconnectRequired):
        oauth.token_refresh(refresh_token=refresh, now=clock.now())
    assert connection_health(tenant)[0] == "disconnected"


def test_a_forged_state_is_refused(tenant, sandbox, clock):
    from lightspeed.services import ConnectFailed, connection_authorize_url, connection_complete

    connection_authorize_url(tenant=tenant)
    with pytest.raises(ConnectFailed):
        connection_complete(tenant=tenant, code=sandbox.issue_code(), state="forged", clock=clock)
