"""A catalog sync waiting on the Lightspeed bucket gives its worker slot back and resumes from its cursor."""
import json

import pytest

from connector.models import SyncRun
from connector.runs import YIELD_AFTER_SECONDS, run_job_with_retry
from lightspeed.models import Item, ItemStock

from .conftest import api_requests, connect, sandbox_routed

ITEMS = 1500  # 15 item pages of 1.8 drips


@pytest.fixture
def sandbox(clock, settings):
    yield from sandbox_routed(clock, settings, items=ITEMS, registers=1)  # bucket 90 drips, 1 drip/s


def test_a_full_sync_on_a_busy_bucket_yields_and_resumes_from_its_cursor(tenant, sandbox, clock, queued_runs,
                                                                          django_capture_on_commit_callbacks):
    connect(tenant, sandbox, clock)
    busy = sandbox.limiter.bucket(sandbox.account_id, sandbox.client_id)
    busy.level, busy.updated = 70.0, clock.time()  # another app of this shop spent most of the bucket
    started = clock.time()
    with django_capture_on_commit_callbacks(execute=True):
        first = run_job_with_retry(tenant_id=tenant.pk, job="lightspeed.catalog_sync")
    assert first.status == SyncRun.Status.YIELDED
    assert clock.time() - started <= YIELD_AFTER_SECONDS + 1  # it waited a few seconds, not the whole sync
    (args, kwargs, opts), = queued_runs
    assert kwargs["trigger"] == "resume" and opts["countdown"] >= 45  # until the bucket is half empty
    read_first = first.counts["items.read"]
    assert 0 < read_first < ITEMS
    resume = json.loads(json.dumps(kwargs))  # what the broker carries
    cursor = resume["params"]["resume"]["since"]
    assert resume["params"]["resume"]["phase"] == "items" and cursor

    runs, before = [first], len(api_requests(sandbox))
    while queued_runs:
        (args, kwargs, opts), = queued_runs
        queued_runs.clear()
        clock.advance(opts["countdown"])
        with django_capture_on_commit_callbacks(execute=True):
            runs.append(run_job_with_retry(tenant_id=tenant.pk, job="lightspeed.catalog_sync", **kwargs))
        assert len(runs) < 10
    assert runs[-1].status == SyncRun.Status.SUCCEEDED
    assert all(run.status == SyncRun.Status.YIELDED for run in runs[:-1])
    resumed_items = [r for r in sandbox.request_log[before:] if r["path"].endswith("/Item.json")]
    assert "timeStamp" in resumed_items[0]["query"]  # the resumed run asks from its cursor on, not from the start
    assert not api_requests(sandbox, "/Shop.json")[1:]  # reference lists were read once
    assert sum(run.counts.get("items.read", 0) for run in runs) < ITEMS * 1.2
    assert Item.objects.for_tenant(tenant).count() == ITEMS
    assert ItemStock.objects.for_tenant(tenant).exists()
