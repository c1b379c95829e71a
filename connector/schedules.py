"""Schedules: enable, pause, resume, and the beat tick that enqueues what is due."""
import logging
from datetime import datetime, timedelta
from datetime import timezone as dt_timezone
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from .dispatch import scheduled_runs_enqueue
from .health import tick_record
from .models import Schedule
from .registry import all_jobs, get_job, wall_clock_jobs

log = logging.getLogger(__name__)

UNKNOWN_JOB_REASON = "This job is no longer available; contact support."
MAX_INTERVAL_SECONDS = 7 * 24 * 3600


def schedule_enable(*, tenant, job, interval=None, start_at=None):
    """Create or switch on the (tenant, job) schedule; the first run is due now.

    A wall-clock job's first run is its next local time instead (unless `start_at` is given).
    """
    spec = get_job(job)
    interval = interval or spec.interval
    if start_at is None and spec.is_wall_clock:
        start_at = wall_clock_next(spec, now=timezone.now())
    schedule, _ = Schedule.objects.for_tenant(tenant).get_or_create(
        tenant=tenant,
        job=job,
        defaults={"interval_seconds": int(interval.total_seconds()), "next_run_at": start_at or timezone.now()},
    )
    if not schedule.enabled:
        schedule.enabled = True
        schedule.next_run_at = start_at or timezone.now()
        schedule.save(update_fields=["enabled", "next_run_at", "updated_at"])
    return schedule


def schedule_disable(*, tenant, job):
    Schedule.objects.for_tenant(tenant).filter(job=job).update(enabled=False, updated_at=timezone.now())


def schedule_set_interval(*, schedule, seconds):
    """The owner's interval, at least the job's declared minimum (ValidationError otherwise)."""
    seconds = int(seconds)
    minimum = int(get_job(schedule.job).min_interval.total_seconds())
    if not minimum <= seconds <= MAX_INTERVAL_SECONDS:
        raise ValidationError({"interval_seconds": f"Use {minimum} to {MAX_INTERVAL_SECONDS} seconds for this job."})
    schedule.interval_seconds = seconds
    schedule.save(update_fields=["interval_seconds", "updated_at"])
    return schedule


def schedule_pause(*, tenant, reason, job=None):
    """Pause one job's schedule, or every schedule of the tenant when job is None."""
    qs = Schedule.objects.for_tenant(tenant)
    if job is not None:
        qs = qs.filter(job=job)
    return qs.update(paused_reason=reason[:1000] or "paused", updated_at=timezone.now())


def schedule_resume(*, tenant, job=None, reason=None, reason_prefix=None):
    """Resume; with `reason` (or `reason_prefix`), only the schedules paused for that reason (e.g. after
    reconnecting)."""
    qs = Schedule.objects.for_tenant(tenant).exclude(paused_reason="")
    if job is not None:
        qs = qs.filter(job=job)
    if reason is not None:
        qs = qs.filter(paused_reason=reason)
    if reason_prefix is not None:
        qs = qs.filter(paused_reason__startswith=reason_prefix)
    now = timezone.now()
    return qs.update(paused_reason="", consecutive_failures=0, next_run_at=now, updated_at=now)


def schedule_record_outcome(*, tenant, job, failed, retry_in=None):
    """After a scheduled run: count failures; a transient failure comes back sooner."""
    schedule = Schedule.objects.for_tenant(tenant).filter(job=job).first()
    if schedule is None:
        return None
    schedule.consecutive_failures = schedule.consecutive_failures + 1 if failed else 0
    if retry_in is not None:
        schedule.next_run_at = min(schedule.next_run_at, timezone.now() + retry_in)
    schedule.save(update_fields=["consecutive_failures", "next_run_at", "updated_at"])
    return schedule


def schedule_defer(*, tenant, job, seconds):
    """A yielded run resumes in `seconds`: the schedule waits for that chain, not beside it."""
    spec = get_job(job)
    later = timezone.now() + timedelta(seconds=seconds) + spec.interval
    return Schedule.objects.for_tenant(tenant).filter(job=job, next_run_at__lt=later).update(
        next_run_at=later, updated_at=timezone.now())


def schedule_next_due(*, due, interval, now):
    """The first slot after `now` on the grid that starts at `due`: no drift, and no catch-up
    storm after an outage (the missed slots are skipped, not run one by one)."""
    return due + interval * ((now - due) // interval + 1)


def wall_clock_next(job, *, now):
    """The next `job.at` in `job.tz` after `now`, as aware UTC. A local time the spring-forward
    skips runs when the clock jumps; one fall-back repeats runs at its first occurrence only."""
    zone = ZoneInfo(job.tz)
    day = now.astimezone(zone).date()
    for offset in range(3):
        candidate = datetime.combine(day + timedelta(days=offset), job.at, tzinfo=zone).astimezone(dt_timezone.utc)
        if candidate > now:
            return candidate
    raise AssertionError("unreachable: a local day has at most 25 hours")


def _due(now):
    return Q(enabled=True, paused_reason="", next_run_at__lte=now)


def schedules_pause_unknown(*, now):
    """A schedule of a job no longer registered is paused, so it cannot block the tick."""
    known = [job.name for job in all_jobs()]
    paused = Schedule.unscoped.filter(_due(now)).exclude(job__in=known).update(
        paused_reason=UNKNOWN_JOB_REASON, updated_at=timezone.now())
    if paused:
        log.warning("tick: %d schedule(s) of unregistered jobs paused", paused)
    return paused


def schedules_claim_due(*, now):
    """Move every due schedule to its next slot, each exactly once across racing ticks.

    Returns [(tenant_id, job)]. On PostgreSQL one statement per kind of timing: every interval
    job at once, and one per wall-clock job (all its schedules share the next time).
    """
    interval_jobs = [job.name for job in all_jobs() if not job.is_wall_clock]
    wall_clock = {job.name: wall_clock_next(job, now=now) for job in wall_clock_jobs()}
    if connection.vendor != "postgresql":
        return _claim_portable(now=now, interval_jobs=interval_jobs, wall_clock=wall_clock)
    picked = _claim_sql(_INTERVAL_SET, now=now, jobs=interval_jobs)
    for name, next_at in wall_clock.items():
        picked += _claim_sql(_FIXED_SET, now=now, jobs=[name], next_at=next_at)
    return picked


_CLAIM = """
UPDATE connector_schedule AS s SET {set}, updated_at = %(updated)s
WHERE s.id IN (
    SELECT id FROM connector_schedule
    WHERE enabled AND paused_reason = '' AND next_run_at <= %(now)s AND job = ANY(%(jobs)s)
    FOR UPDATE SKIP LOCKED)
RETURNING s.tenant_id, s.job
"""
_INTERVAL_SET = ("next_run_at = s.next_run_at + (s.interval_seconds"
                 " * (floor(extract(epoch FROM %(now)s - s.next_run_at)"
                 " / greatest(s.interval_seconds, 1)) + 1))::float8 * interval '1 second'")
_FIXED_SET = "next_run_at = %(next_at)s"


def _claim_sql(set_sql, *, now, jobs, next_at=None):
    if not jobs:
        return []
    params = {"now": now, "jobs": jobs, "next_at": next_at, "updated": timezone.now()}
    with connection.cursor() as cursor:
        cursor.execute(_CLAIM.format(set=set_sql), params)
        return [(tenant_id, job) for tenant_id, job in cursor.fetchall()]


def _claim_portable(*, now, interval_jobs, wall_clock):
    """SQLite (the demo): no SKIP LOCKED; its single writer serialises the demo's one beat."""
    rows = list(Schedule.unscoped.filter(_due(now), job__in=[*interval_jobs, *wall_clock]).order_by("next_run_at"))
    updated = timezone.now()
    for row in rows:
        row.next_run_at = wall_clock.get(row.job) or schedule_next_due(
            due=row.next_run_at, interval=timedelta(seconds=row.interval_seconds), now=now)
        row.updated_at = updated
    Schedule.unscoped.bulk_update(rows, ["next_run_at", "updated_at"], batch_size=500)
    return [(row.tenant_id, row.job) for row in rows]


def schedules_tick(*, now=None):
    """Claim every due schedule and queue its run, all published in one go after commit."""
    now = now or timezone.now()
    with transaction.atomic():
        schedules_pause_unknown(now=now)
        picked = schedules_claim_due(now=now)
        scheduled_runs_enqueue(picked)  # every picked job is registered: the claim names them
    tick_record()
    return picked
