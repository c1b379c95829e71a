"""run_job: outcomes, error classes, records, dry run, the lock."""
import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from connector.errors import RunLocked
from connector.models import Schedule, SyncEvent, SyncRun
from connector.runs import MAX_ATTEMPTS, run_job, run_job_with_retry, run_retry
from connector.schedules import schedule_enable

from . import testjobs


def events_of(run):
    return list(SyncEvent.unscoped.filter(run=run).order_by("id"))


def test_ok_run_records_counts_and_redacted_events(tenant):
    run = run_job(tenant=tenant, job="test.ok")
    assert run.status == SyncRun.Status.SUCCEEDED
    assert run.counts == {"created": 2}
    assert run.finished_at is not None
    (event,) = events_of(run)
    assert event.data == {"access_token": "[redacted]"}
    assert (event.object_type, event.object_id, event.job, event.tenant_id) == ("item", "1", "test.ok", tenant.pk)


def test_dry_run_and_params_reach_the_job(tenant):
    schedule_enable(tenant=tenant, job="test.ok")
    testjobs.seen.clear()
    run = run_job(tenant=tenant, job="test.ok", trigger="schedule", dry_run=True, params={"full": "1"})
    assert testjobs.seen == [("test.ok", tenant.slug, True, {"full": "1"})]
    assert run.dry_run is True and run.params == {"full": "1"}


def test_transient_error_is_retried_with_backoff(tenant, queued_runs, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run = run_job_with_retry(tenant_id=tenant.pk, job="test.flaky", attempt=1)
    assert (run.status, run.error_kind) == ("failed", "transient")
    (args, kwargs, opts), = queued_runs
    assert args == [tenant.pk, "test.flaky"]
    assert kwargs["trigger"] == "retry" and kwargs["attempt"] == 2
    assert opts["countdown"] == 30


def test_retry_waits_at_least_retry_after_and_backoff_grows(tenant, queued_runs, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run_job_with_retry(tenant_id=tenant.pk, job="test.flaky", attempt=1, params={"retry_after": 500})
        run_job_with_retry(tenant_id=tenant.pk, job="test.flaky", attempt=3)
    assert [opts["countdown"] for _, _, opts in queued_runs] == [500, 120]


def test_transient_error_gives_up_after_max_attempts(tenant, queued_runs, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run = run_job_with_retry(tenant_id=tenant.pk, job="test.flaky", attempt=MAX_ATTEMPTS)
    assert run.error_kind == "transient"
    assert queued_runs == []


def test_config_error_pauses_the_schedule_with_its_reason(tenant):
    schedule_enable(tenant=tenant, job="test.config")
    schedule_enable(tenant=tenant, job="test.ok")
    run = run_job(tenant=tenant, job="test.config", trigger="schedule")
    assert (run.status, run.error_kind) == ("failed", "config")
    schedules = {s.job: s for s in Schedule.objects.for_tenant(tenant)}
    assert schedules["test.config"].paused_reason == "Reconnect Lightspeed: access was revoked"
    assert schedules["test.config"].consecutive_failures == 1
    assert schedules["test.ok"].paused_reason == ""


def test_config_error_with_pause_tenant_pauses_every_schedule_of_that_tenant(make_tenant):
    acme, other = make_tenant("acme"), make_tenant("other")
    for tenant in (acme, other):
        schedule_enable(tenant=tenant, job="test.config")
        schedule_enable(tenant=tenant, job="test.ok")
    run_job(tenant=acme, job="test.config", params={"all": 1})
    assert {s.job: s.is_paused for s in Schedule.objects.for_tenant(acme)} == {"test.config": True, "test.ok": True}
    assert not any(s.is_paused for s in Schedule.objects.for_tenant(other))


def test_bug_fails_the_run_and_keeps_its_traceback(tenant):
    run = run_job(tenant=tenant, job="test.bug")
    assert (run.status, run.error_kind) == ("failed", "bug")
    assert run.error == "ZeroDivisionError: division by zero"
    assert "Traceback" in run.traceback and "bug_job" in run.traceback


def test_bad_records_are_events_and_the_batch_goes_on(tenant):
    run = run_job(tenant=tenant, job="test.records")
    assert run.status == SyncRun.Status.PARTIAL
    assert run.counts == {"imported": 2, "failed": 2}
    errors = [(e.object_id, e.level) for e in events_of(run)]
    assert errors == [("B2", "error"), ("C3", "error")]
    b2, c3 = events_of(run)
    assert b2.message == "order B2 has no lines" and b2.data == {"lines": []}
    assert c3.message.startswith("unexpected IntegrityError") and "Traceback" in c3.data["traceback"]


def test_overlapping_run_of_one_tenant_job_is_refused(make_tenant):
    acme = make_tenant("acme")
    make_tenant("other")
    run = run_job(tenant=acme, job="test.reenter", params={"other": "other"})
    assert run.status == "succeeded"
    refused, other_ran = [e.message for e in events_of(run)]
    assert refused.startswith("refused: test.reenter is already running for acme (run #")
    assert other_ran == "other tenant: succeeded"
    assert SyncRun.unscoped.filter(tenant=acme).count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_runs_from_two_workers_are_refused_while_another_tenant_runs(make_tenant):
    acme, other = make_tenant("acme"), make_tenant("other")
    testjobs.block.update(started=threading.Event(), release=threading.Event(), slug="acme")
    result = {}

    def worker():
        try:
            result["first"] = run_job(tenant=acme, job="test.block")
        finally:
            connection.close()

    thread = threading.Thread(target=worker)
    thread.start()
    try:
        assert testjobs.block["started"].wait(10)
        with pytest.raises(RunLocked):
            run_job(tenant=acme, job="test.block")
        assert run_job(tenant=other, job="test.block").status == "succeeded"
    finally:
        testjobs.block["release"].set()
        thread.join(10)
    assert result["first"].status == "succeeded"
    assert SyncRun.unscoped.filter(tenant=acme).count() == 1


def test_a_stale_running_run_is_released(tenant, settings):
    long_ago = timezone.now() - timedelta(seconds=settings.RUN_STALE_AFTER_SECONDS + 60)
    stale = SyncRun.unscoped.create(tenant=tenant, job="test.ok", started_at=long_ago, heartbeat_at=long_ago)
    run = run_job(tenant=tenant, job="test.ok")
    assert run.status == "succeeded"
    stale.refresh_from_db()
    assert (stale.status, stale.error_kind) == ("failed", "bug")
    assert "abandoned" in stale.error


def test_a_fresh_running_run_still_holds_the_lock(tenant):
    now = timezone.now()
    SyncRun.unscoped.create(tenant=tenant, job="test.ok", started_at=now, heartbeat_at=now)
    with pytest.raises(RunLocked):
        run_job(tenant=tenant, job="test.ok")


def test_support_retry_queues_the_same_job_params_and_flag(tenant, queued_runs, django_capture_on_commit_callbacks):
    run = run_job(tenant=tenant, job="test.ok", dry_run=True, params={"full": "1"})
    with django_capture_on_commit_callbacks(execute=True):
        run_retry(run=run)
    (args, kwargs, _), = queued_runs
    assert args == [tenant.pk, "test.ok"]
    assert kwargs == {"trigger": "retry", "dry_run": True, "params": {"full": "1"}, "attempt": 1}


def test_scheduled_failures_are_counted_and_reset_on_success(tenant):
    schedule_enable(tenant=tenant, job="test.bug")
    run_job(tenant=tenant, job="test.bug", trigger="schedule")
    run_job(tenant=tenant, job="test.bug", trigger="schedule")
    assert Schedule.objects.for_tenant(tenant).get(job="test.bug").consecutive_failures == 2
