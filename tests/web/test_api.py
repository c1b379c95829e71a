"""The REST API on the same services: read the connection, settings, schedules, runs, orders; act."""
import pytest
from rest_framework.test import APIClient

from connector.models import Schedule
from connector.channels import channels_selling
from tests.web.conftest import JOB, tenant_data


@pytest.fixture
def api(owner):
    client = APIClient()
    client.force_authenticate(owner.user)
    return client


def test_token_endpoint_and_token_auth(owner):
    client = APIClient()
    response = client.post("/api/token/", {"username": owner.user.username, "password": "pw-shop-a"})
    assert response.status_code == 200
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    assert client.get("/api/connection/").json()["status"] == "disconnected"
    assert APIClient().get("/api/connection/").status_code in (401, 403)


def test_connection_reads_the_row(api, owner):
    tenant_data(owner.tenant, "MINE")
    body = api.get("/api/connection/").json()
    assert body["account_id"] == "MINE-ACCOUNT-ID"
    assert "MINE-ACCESS" not in str(body) and "MINE-REFRESH" not in str(body)


def test_runs_and_events(api, owner):
    data = tenant_data(owner.tenant, "MINE")
    runs = api.get("/api/runs/?status=failed").json()
    assert runs["count"] == 1 and runs["results"][0]["counts"] == {"items.written": 7}
    events = api.get(f"/api/runs/{data['run'].pk}/events/").json()
    assert events["results"][0]["message"] == "MINE-EVENT"
    assert api.get("/api/runs/?status=bogus").status_code == 400
    assert api.get("/api/runs/?since=yesterday").status_code == 400


def test_schedules_change_through_the_service(api, owner):
    data = tenant_data(owner.tenant, "MINE")
    url = f"/api/schedules/{data['schedule'].pk}/"
    assert api.patch(url, {"interval_seconds": 10}, format="json").status_code == 400
    body = api.patch(url, {"interval_seconds": 600, "enabled": False}, format="json").json()
    assert body["interval_seconds"] == 600 and body["enabled"] is False
    Schedule.objects.for_tenant(owner.tenant).filter(pk=data["schedule"].pk).update(paused_reason="reconnect")
    body = api.patch(url, {"resume": True}, format="json").json()
    assert body["paused"] is False


def test_run_a_job_now(api, owner, queued_runs, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(f"/api/jobs/{JOB}/run/", {}, format="json")
    assert response.status_code == 202
    assert response.json()["runs_url"].startswith(f"/api/runs/?job={JOB}")
    assert queued_runs[0][0] == [owner.tenant.pk, JOB]
    assert api.post("/api/jobs/nope/run/", {}, format="json").status_code == 404


def test_orders_and_retry(api, owner, monkeypatch):
    data = tenant_data(owner.tenant, "MINE")
    assert api.get("/api/orders/?state=failed").json()["results"][0]["external_id"] == "MINE-ORDER"
    retried = []
    monkeypatch.setattr("connector.api.order_retry", lambda *, order: retried.append(order.pk))
    assert api.post(f"/api/orders/{data['order'].pk}/retry/").status_code == 202
    assert retried == [data["order"].pk]


@pytest.mark.parametrize("url,shows", [("/api/runs/", "MINE-RUN-ERROR"), ("/api/schedules/", JOB),
                                       ("/api/orders/", "MINE-ORDER"),
                                       *[(f"/api/channels/{c.key}/settings/", "MINE-") for c in channels_selling()]])
def test_browsable_api_renders_with_token_auth(client, owner, url, shows):
    from tenants.tokens import api_token_create

    tenant_data(owner.tenant, "MINE")
    _, key = api_token_create(user=owner.user)
    response = client.get(url, HTTP_ACCEPT="text/html", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200 and shows in response.content.decode()
