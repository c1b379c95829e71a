"""The beat tick: due schedules are enqueued exactly once, even by racing ticks."""
import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from connector.models import Schedule
from connector.schedules import schedule_enable, schedule_pause, schedule_resume, schedules_tick

from . import testjobs  # noqa: F401  (registers the test jobs)


def test_tick_enqueues_due_schedules_on_commit_and_moves_them(tenant, queued_runs, django_capture_on_commit_callbacks):
    now = timezone.now()
    due = schedule_enable(tenant=tenant, job="test.ok", start_at=now - timedelta(seconds=1))
    schedule_enable(tenant=tenant, job="test.bug", start_at=now + timedelta(minutes=1))
    with django_capture_on_commit_callbacks(execute=True):
        picked = schedules_tick(now=now)
    assert picked == [(tenant.pk, "test.ok")]
    assert [(args, kwargs["trigger"]) for args, kwargs, _ in queued_runs] == [([tenant.pk, "test.ok"], "schedule")]
    due.refresh_from_db()
    assert due.next_run_at == now - timedelta(seconds=1) + timedelta(minutes=5)  # from the due time: no drift


def test_tick_skips_paused_and_disabled_and_resume_makes_due(tenant):
    now = timezone.now()
    schedule_enable(tenant=tenant, job="test.ok", start_at=now)
    schedule_pause(tenant=tenant, job="test.ok", reason="Reconnect Lightspeed")
    assert schedules_tick(now=now) == []
    schedule_resume(tenant=tenant, job="test.ok")
    assert schedules_tick(now=timezone.now()) == [(tenant.pk, "test.ok")]


def test_a_schedule_of_an_unknown_job_is_paused_and_does_not_block_the_tick(tenant):
    now = timezone.now()
    Schedule.unscoped.create(tenant=tenant, job="gone.job", interval_seconds=60, next_run_at=now)
    schedule_enable(tenant=tenant, job="test.ok", start_at=now)
    assert schedules_tick(now=now) == [(tenant.pk, "test.ok")]
    assert Schedule.unscoped.get(job="gone.job").paused_reason


@pytest.mark.django_db(transaction=True)
def test_two_racing_ticks_enqueue_each_due_job_exactly_once(make_tenant, queued_runs):
    now = timezone.now()
    tenants = [make_tenant(f"shop{i}") for i in range(20)]
    for tenant in tenants:
        for job in ("test.ok", "test.records", "test.bug"):
            schedule_enable(tenant=tenant, job=job, start_at=now - timedelta(seconds=5))
    barrier = threading.Barrier(2)
    picked = [None, None]

    def tick(i):
        try:
            barrier.wait(5)
            picked[i] = schedules_tick(now=now)
        finally:
            connection.close()

    threads = [threading.Thread(target=tick, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    expected = sorted((t.pk, job) for t in tenants for job in ("test.ok", "test.records", "test.bug"))
    assert sorted(picked[0] + picked[1]) == expected
    assert sorted((args[0], args[1]) for args, _, _ in queued_runs) == expected
    assert schedules_tick(now=now) == []
