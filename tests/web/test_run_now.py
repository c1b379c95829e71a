"""Issue 15 §5–7: "Run now" says what is missing on a channel that is off, starts one run on a double click,
keeps its progress across a reload, and the job table follows the run's real outcome."""
import re
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from django.utils import timezone

from connector.channels import channels_selling
from connector.models import SyncRun

pytestmark = pytest.mark.django_db

CHANNEL = channels_selling()[0]


def test_run_now_on_a_channel_that_is_off_says_what_is_missing_and_runs_nothing(owner_client, queued_runs,
                                                                               django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(reverse("run_now", args=[CHANNEL.primary_job]), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert 'data-state="refused"' in html and f"{CHANNEL.title} is off" in html
    first_step = CHANNEL.setup_steps[0].title
    assert first_step[1:] in html, "names the first setup step left"
    assert "Succeeded" not in html and "record" not in html
    assert not queued_runs


def test_the_api_refuses_it_too(owner_client, queued_runs):
    response = owner_client.post(f"/api/jobs/{CHANNEL.primary_job}/run/", {}, content_type="application/json")
    assert response.status_code == 400 and f"{CHANNEL.title} is off" in response.content.decode()
    assert not queued_runs


def test_the_source_runs_without_a_switch(owner_client, queued_runs, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        html = owner_client.post(reverse("run_now", args=["lightspeed.reference_sync"]),
                                 HTTP_HX_REQUEST="true").content.decode()
    assert 'data-state="queued"' in html and len(queued_runs) == 1


@pytest.fixture
def channel_on(owner, routed_channel):
    from connector.services import channel_switch

    channel_switch(tenant=owner.tenant, channel=CHANNEL.key, on=True)
    return CHANNEL


@pytest.fixture
def routed_channel(owner):
    """The channel's credentials from its sandbox, its client routed there."""
    from connector.http import transport_overrides

    sandbox = CHANNEL.sandbox.build(clock=None)
    transport_overrides[CHANNEL.key] = sandbox.transport()
    CHANNEL.settings_model.objects.for_tenant(owner.tenant).create(tenant=owner.tenant,
                                                                     **CHANNEL.sandbox.credentials({}))
    yield sandbox
    transport_overrides.pop(CHANNEL.key, None)


def _click(client, job):
    return client.post(reverse("run_now", args=[job]), HTTP_HX_REQUEST="true").content.decode()


def test_a_double_click_makes_one_run(owner_client, channel_on, queued_runs, django_capture_on_commit_callbacks):
    job = CHANNEL.primary_job
    with django_capture_on_commit_callbacks(execute=True):
        first, second = _click(owner_client, job), _click(owner_client, job)
    assert len(queued_runs) == 1
    after = re.compile(r"after=([^\"&]+)")
    assert after.search(first).group(1) == after.search(second).group(1), "both follow the same run"


def test_after_the_run_ended_run_now_starts_a_new_one(owner, owner_client, channel_on, queued_runs,
                                                      django_capture_on_commit_callbacks):
    job = CHANNEL.primary_job
    with django_capture_on_commit_callbacks(execute=True):
        _click(owner_client, job)
    SyncRun.objects.for_tenant(owner.tenant).create(tenant=owner.tenant, job=job, status="succeeded",
                                                    started_at=timezone.now(), heartbeat_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        _click(owner_client, job)
    assert len(queued_runs) == 2


def test_reloading_during_a_run_keeps_its_progress(owner, owner_client, channel_on, queued_runs,
                                                   django_capture_on_commit_callbacks):
    job = CHANNEL.primary_job
    with django_capture_on_commit_callbacks(execute=True):
        _click(owner_client, job)
    slug = job.replace(".", "")
    page = owner_client.get(reverse(CHANNEL.page_url_name)).content.decode()
    assert f'id="run-status-{slug}"' in page and 'data-state="queued"' in page and "every 1s" in page
    SyncRun.objects.for_tenant(owner.tenant).create(tenant=owner.tenant, job=job, status="running",
                                                    started_at=timezone.now(), heartbeat_at=timezone.now())
    page = owner_client.get(reverse("dashboard")).content.decode()
    assert 'data-state="running"' in page


def test_the_status_follows_a_yielded_run_until_the_chain_ends(owner, owner_client, channel_on):
    job = CHANNEL.primary_job
    asked = timezone.now()
    url = reverse("run_status", args=[job]) + "?" + urlencode({"after": asked.isoformat()})
    SyncRun.objects.for_tenant(owner.tenant).create(tenant=owner.tenant, job=job, status="yielded", started_at=asked,
                                                    heartbeat_at=asked, finished_at=asked)
    assert 'data-state="running"' in owner_client.get(url).content.decode()
    later = asked + timedelta(seconds=5)
    SyncRun.objects.for_tenant(owner.tenant).create(tenant=owner.tenant, job=job, status="failed", started_at=later,
                                                    heartbeat_at=later, finished_at=later, error="it broke")
    response = owner_client.get(url)
    assert 'data-state="failed"' in response.content.decode() and response["HX-Trigger"] == "run-finished"


def test_the_channel_page_refreshes_its_job_table_when_a_run_ends(owner_client, channel_on):
    page = owner_client.get(reverse(CHANNEL.page_url_name)).content.decode()
    key = CHANNEL.key
    assert 'hx-trigger="run-finished from:body"' in page
    assert f"#jobs-{key}" in page and f'id="jobs-{key}"' in page and f'id="switch-badge-{key}"' in page


def _order(owner, **fields):
    from connector.models import OrderLedger

    return OrderLedger.objects.for_tenant(owner.tenant).create(tenant=owner.tenant, channel=CHANNEL.key, **fields)


def test_retry_is_offered_only_where_it_can_do_something(owner, owner_client):
    """Issue 15 §8: "Retry" on a healthy accepted order bumped its attempts and made an empty run."""
    healthy = _order(owner, external_id="OK-1", state="accepted", sale_id="4")
    failed = _order(owner, external_id="BAD-1", state="failed", last_error="no such EAN")
    html = owner_client.get(reverse("orders")).content.decode()
    assert reverse("order_retry", args=[failed.pk]) in html
    assert reverse("order_retry", args=[healthy.pk]) not in html
    detail = owner_client.get(reverse("order", args=[healthy.pk])).content.decode()
    assert reverse("order_retry", args=[healthy.pk]) not in detail


def test_retrying_a_healthy_order_changes_nothing(owner, owner_client, queued_runs, django_capture_on_commit_callbacks):
    healthy = _order(owner, external_id="OK-1", state="accepted", sale_id="4")
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(reverse("order_retry", args=[healthy.pk]), follow=True)
    assert "nothing to retry" in response.content.decode()
    healthy.refresh_from_db()
    assert healthy.attempts == 0 and not queued_runs


def test_a_stuck_order_can_be_retried(owner):
    from connector.models import OrderLedger
    from connector.services import order_retryable

    stuck = _order(owner, external_id="HALF-1", state="sale_pending")
    assert not order_retryable(order=stuck)
    an_hour_ago = timezone.now() - timedelta(hours=1)
    OrderLedger.objects.for_tenant(owner.tenant).filter(pk=stuck.pk).update(updated_at=an_hour_ago)
    stuck.refresh_from_db()
    assert order_retryable(order=stuck)
