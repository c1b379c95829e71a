"""The webhook endpoint (PROVISIONAL contract, docs/buckles.md): HMAC over timestamp and body compared in constant
time, a replay window, dedupe by delivery id, the event stored before anything is done, the work queued."""
import json

import pytest
from django.urls import reverse

from channels.buckles.models import BucklesEvent, BucklesSettings
from channels.buckles.signing import signed_headers
from connector.runs import run_job

pytestmark = pytest.mark.django_db


def events(tenant):
    return BucklesEvent.objects.for_tenant(tenant)


def stock_event(sandbox, mode="normal", sku="NOPE-1", quantity=3):
    return sandbox.emit("stock.changed", {"sku": sku, "quantity": quantity, "location": None}, mode=mode)


def test_provisional_a_signed_event_is_stored_and_its_run_queued(buckles_tenant, buckles_sandbox, queued_runs,
                                                                 django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        event = stock_event(buckles_sandbox)
    assert buckles_sandbox.deliveries[-1]["status"] == 200
    stored = events(buckles_tenant).get()
    assert stored.delivery_id == event["id"] and stored.state == "pending" and stored.payload["sku"] == "NOPE-1"
    assert stored.via == "webhook" and stored.occurred_at is not None
    assert [args[1] for args, kwargs, opts in queued_runs] == ["buckles.events_apply"]


@pytest.mark.parametrize("mode", ["bad_signature", "stale"])
def test_provisional_wrongly_signed_or_stale_deliveries_get_401_and_change_nothing(buckles_tenant, buckles_sandbox,
                                                                                  mode):
    stock_event(buckles_sandbox, mode=mode)
    assert buckles_sandbox.deliveries[-1]["status"] == 401
    assert not events(buckles_tenant).exists()


def test_provisional_unsigned_and_unknown_endpoint_get_401(buckles_tenant, buckles_sandbox, client):
    body = json.dumps({"id": "x", "type": "stock.changed", "data": {}})
    assert client.post(buckles_sandbox.webhook_url, body, content_type="application/json").status_code == 401
    assert client.post(reverse("buckles:webhook", args=["not-a-token-of-anyone"]), body,
                       content_type="application/json").status_code == 401
    assert not events(buckles_tenant).exists()


def test_provisional_another_tenants_signature_gets_401(buckles_tenant, buckles_sandbox, make_tenant, client, clock):
    other = make_tenant("other")
    BucklesSettings.objects.create(tenant=other, webhook_secret="whsec_of_the_other_tenant", api_token="t")
    body = json.dumps({"id": "d-1", "type": "stock.changed", "data": {"sku": "A", "quantity": 1}}).encode()
    headers = signed_headers(secret="whsec_of_the_other_tenant", event_type="stock.changed", delivery_id="d-1",
                             timestamp=int(clock.time()), body=body)
    response = client.post(buckles_sandbox.webhook_url, body, content_type="application/json",
                           headers={k: v for k, v in headers.items() if k != "Content-Type"})
    assert response.status_code == 401
    assert not BucklesEvent.unscoped.exists()


def test_provisional_a_duplicate_delivery_is_stored_once(buckles_tenant, buckles_sandbox):
    event = stock_event(buckles_sandbox, mode="duplicate")
    assert [d["status"] for d in buckles_sandbox.deliveries] == [200, 200]
    buckles_sandbox.redeliver(event["id"])
    assert events(buckles_tenant).count() == 1


def test_provisional_a_tampered_body_gets_401(buckles_tenant, buckles_sandbox, client, clock):
    body = json.dumps({"id": "d-2", "type": "stock.changed", "data": {"sku": "A", "quantity": 1}}).encode()
    headers = signed_headers(secret=buckles_sandbox.webhook_secret, event_type="stock.changed", delivery_id="d-2",
                             timestamp=int(clock.time()), body=body)
    tampered = body.replace(b'"quantity": 1', b'"quantity": 9')
    response = client.post(buckles_sandbox.webhook_url, tampered, content_type="application/json",
                           headers={k: v for k, v in headers.items() if k != "Content-Type"})
    assert response.status_code == 401 and not events(buckles_tenant).exists()


def test_provisional_a_flood_is_queued_not_processed_in_the_request(buckles_tenant, buckles_sandbox, queued_runs,
                                                                   django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(1000):
            stock_event(buckles_sandbox, sku=f"SKU-{n}")
    assert {d["status"] for d in buckles_sandbox.deliveries} == {200}
    assert events(buckles_tenant).filter(state="pending").count() == 1000  # nothing applied in the requests
    assert len(queued_runs) == 1  # one run, queued while none was waiting, applies them all


def test_provisional_a_delivery_after_the_run_started_queues_the_next_run(buckles_tenant, buckles_sandbox, clock,
                                                                         queued_runs,
                                                                         django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        stock_event(buckles_sandbox)
        stock_event(buckles_sandbox)
    assert len(queued_runs) == 1
    run_job(tenant=buckles_tenant, job="buckles.events_apply", clock=clock, params={"from": "webhook"})
    with django_capture_on_commit_callbacks(execute=True):
        stock_event(buckles_sandbox)
    assert len(queued_runs) == 2


def test_provisional_the_polling_fallback_recovers_a_missed_webhook(buckles_tenant, buckles_sandbox, clock):
    stock_event(buckles_sandbox, mode="none")
    stock_event(buckles_sandbox)
    assert events(buckles_tenant).count() == 1
    run = run_job(tenant=buckles_tenant, job="buckles.events_apply", clock=clock)
    assert run.status in ("succeeded", "partial"), run.error
    assert events(buckles_tenant).count() == 2 and run.counts["events_recovered"] == 1
    assert events(buckles_tenant).filter(via="poll").count() == 1
    run = run_job(tenant=buckles_tenant, job="buckles.events_apply", clock=clock)
    assert run.counts["events_polled"] == 0  # the cursor moved past both
