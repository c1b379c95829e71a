from datetime import timedelta

import pytest

from connector.errors import ConfigError, TransientError
from connector.models import Schedule, SyncEvent, SyncRun
from connector.registry import register_job
from connector.runs import run_job, run_job_with_retry
from connector.schedules import schedule_enable

calls = []


@register_job("test.ok", interval=timedelta(minutes=5))
def ok_job(ctx):
    calls.append(ctx.tenant.slug)
    ctx.info("hello", object_type="item", object_id="1", data={"access_token": "abcdefgh12345"})
    ctx.count("created", 2)


@register_job("test.flaky", interval=timedelta(minutes=5))
def flaky_job(ctx):
    raise TransientError("sandbox said 503")


@register_job("test.config", interval=timedelta(minutes=5))
def config_job(ctx):
    raise ConfigError("Reconnect Lightspeed: access was revoked")


@register_job("test.bug", interval=timedelta(minutes=5))
def bug_job(ctx):
    return 1 / 0


def test_ok_run_records_counts_and_redacted_events(tenant):
    run = run_job(tenant=tenant, job="test.ok")
    assert run.status == SyncRun.Status.SUCCEEDED
    assert run.counts == {"created": 2}
    event = SyncEvent.objects.for_tenant(tenant).get(run=run)
    assert event.data == {"access_token": "[redacted]"}


def test_transient_is_requeued(tenant, queued_runs):
    run = run_job_with_retry(tenant_id=tenant.pk, job="test.flaky")
    assert run.error_kind == "transient"
    assert queued_runs == []  # queued on commit; the test transaction never commits


def test_config_error_pauses_schedule(tenant):
    schedule_enable(tenant=tenant, job="test.config")
    run = run_job(tenant=tenant, job="test.config", trigger="schedule")
    assert run.error_kind == "config"
    assert Schedule.objects.for_tenant(tenant).get(job="test.config").paused_reason.startswith("Reconnect")


def test_bug_keeps_traceback(tenant):
    run = run_job(tenant=tenant, job="test.bug")
    assert run.status == "failed" and "ZeroDivisionError" in run.traceback
