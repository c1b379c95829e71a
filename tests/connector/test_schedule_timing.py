"""Scheduler timing: slots counted from the due time, no catch-up storm, wall-clock jobs across DST,
job minimum intervals, and the set-based claim agreeing with the portable one (SQLite's)."""
import threading
from datetime import datetime, timedelta
from datetime import timezone as dt_timezone

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from connector.models import Schedule
from connector.registry import get_job
from connector.schedules import (_claim_portable, schedule_enable, schedule_next_due, schedule_set_interval,
                                 schedules_tick, wall_clock_next)

from . import testjobs  # noqa: F401  (registers the test jobs)

UTC = dt_timezone.utc


def utc(*args):
    return datetime(*args, tzinfo=UTC)


def test_next_due_keeps_the_grid_when_the_tick_is_late():
    due = utc(2026, 5, 1, 12, 0, 0)
    assert schedule_next_due(due=due, interval=timedelta(seconds=20), now=due + timedelta(seconds=4.9)) == \
        due + timedelta(seconds=20)


def test_next_due_after_an_outage_skips_to_the_next_slot_after_now():
    due = utc(2026, 5, 1, 12, 0, 0)
    now = due + timedelta(minutes=17)
    assert schedule_next_due(due=due, interval=timedelta(minutes=5), now=now) == due + timedelta(minutes=20)


def test_a_late_tick_does_not_shift_the_schedule(tenant):
    due = timezone.now().replace(microsecond=0) - timedelta(minutes=1)
    schedule = schedule_enable(tenant=tenant, job="test.fast", start_at=due)
    assert schedules_tick(now=due + timedelta(seconds=3)) == [(tenant.pk, "test.fast")]
    schedule.refresh_from_db()
    assert schedule.next_run_at == due + timedelta(seconds=20)


def test_after_an_outage_a_schedule_runs_once_and_lands_on_its_grid(tenant, queued_runs,
                                                                     django_capture_on_commit_callbacks):
    due = timezone.now().replace(microsecond=0) - timedelta(hours=1)
    schedule = schedule_enable(tenant=tenant, job="test.fast", start_at=due)
    now = due + timedelta(minutes=10, seconds=7)
    with django_capture_on_commit_callbacks(execute=True):
        schedules_tick(now=now)
        schedules_tick(now=now + timedelta(seconds=1))
    assert len(queued_runs) == 1
    schedule.refresh_from_db()
    assert schedule.next_run_at == due + timedelta(minutes=10, seconds=20)


# Europe/Copenhagen: summer time starts 2026-03-29 (02:00 -> 03:00) and ends 2026-10-25 (03:00 -> 02:00).
@pytest.mark.parametrize("now, expected", [
    (utc(2026, 3, 27, 12, 0), utc(2026, 3, 28, 1, 0)),   # winter: 02:00 CET = 01:00 UTC
    (utc(2026, 3, 28, 1, 0), utc(2026, 3, 29, 1, 0)),    # spring forward: 02:00 does not exist, runs at 03:00 CEST
    (utc(2026, 3, 29, 1, 0), utc(2026, 3, 30, 0, 0)),    # summer: 02:00 CEST = 00:00 UTC (23 h later)
    (utc(2026, 10, 24, 0, 0), utc(2026, 10, 25, 0, 0)),  # fall back: the first 02:00 (CEST)
    (utc(2026, 10, 25, 0, 0), utc(2026, 10, 26, 1, 0)),  # ... not the repeated one; next day 02:00 CET (25 h)
])
def test_wall_clock_next_is_right_across_dst(now, expected):
    assert wall_clock_next(get_job("test.nightly"), now=now) == expected


def test_a_wall_clock_job_is_first_due_at_its_next_local_time_and_the_tick_moves_it_a_local_day(tenant):
    schedule = schedule_enable(tenant=tenant, job="test.nightly")
    first = wall_clock_next(get_job("test.nightly"), now=timezone.now())
    assert schedule.next_run_at == first
    outage_ends = first + timedelta(days=2, hours=3)
    assert schedules_tick(now=outage_ends) == [(tenant.pk, "test.nightly")]
    schedule.refresh_from_db()
    assert schedule.next_run_at == wall_clock_next(get_job("test.nightly"), now=outage_ends)
    assert schedule.next_run_at.astimezone(timezone.get_default_timezone()) > outage_ends


def test_interval_is_bounded_by_the_jobs_declared_minimum(tenant):
    fast = schedule_enable(tenant=tenant, job="test.fast")
    assert schedule_set_interval(schedule=fast, seconds=10).interval_seconds == 10
    slow = schedule_enable(tenant=tenant, job="test.ok")
    with pytest.raises(ValidationError):
        schedule_set_interval(schedule=slow, seconds=30)
    slow.refresh_from_db()
    assert slow.interval_seconds == 300


def test_the_portable_claim_moves_schedules_like_the_set_based_one(make_tenant):
    now = timezone.now().replace(microsecond=0)
    offsets = [1, 19, 20, 61, 3600 * 5 + 7]
    tenants = [make_tenant(f"p{i}") for i in range(len(offsets))]
    for tenant, offset in zip(tenants, offsets):
        for job in ("test.fast", "test.ok", "test.nightly"):
            schedule_enable(tenant=tenant, job=job, start_at=now - timedelta(seconds=offset))
    schedules_tick(now=now)
    set_based = dict(Schedule.unscoped.values_list("id", "next_run_at"))
    for tenant, offset in zip(tenants, offsets):
        Schedule.unscoped.filter(tenant=tenant).update(next_run_at=now - timedelta(seconds=offset))
    nightly = {"test.nightly": wall_clock_next(get_job("test.nightly"), now=now)}
    _claim_portable(now=now, interval_jobs=["test.fast", "test.ok"], wall_clock=nightly)
    assert dict(Schedule.unscoped.values_list("id", "next_run_at")) == set_based
    assert all(at > now for at in set_based.values())


@pytest.mark.django_db(transaction=True)
def test_two_racing_set_based_ticks_claim_each_due_interval_and_wall_clock_schedule_once(make_tenant, queued_runs):
    """Interval and wall-clock schedules, overdue by different amounts, two ticks racing."""
    now = timezone.now()
    jobs = ("test.fast", "test.ok", "test.nightly")
    tenants = [make_tenant(f"race{i}") for i in range(30)]
    for i, tenant in enumerate(tenants):
        for job in jobs:
            schedule_enable(tenant=tenant, job=job, start_at=now - timedelta(seconds=5 + 97 * i))
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
    expected = sorted((t.pk, job) for t in tenants for job in jobs)
    assert sorted(picked[0] + picked[1]) == expected
    assert sorted((args[0], args[1]) for args, _, _ in queued_runs) == expected
    assert {opts["queue"] for _, _, opts in queued_runs} == {"orders", "bulk"}
    assert schedules_tick(now=now) == []
