"""Schedules: enable, pause, resume, and the beat tick that enqueues what is due."""
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

import logging

from .health import tick_record
from .models import Schedule
from .registry import UnknownJob, get_job

log = logging.getLogger(__name__)

TICK_BATCH = 500


def schedule_enable(*, tenant, job, interval=None, start_at=None):
    """Create or switch on the (tenant, job) schedule; the first run is due now."""
    interval = interval or get_job(job).interval
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
    schedule.interval_seconds = max(60, int(seconds))
    schedule.save(update_fields=["interval_seconds", "updated_at"])
    return schedule


def schedule_pause(*, tenant, reason, job=None):
    """Pause one job's schedule, or every schedule of the tenant when job is None."""
    qs = Schedule.objects.for_tenant(tenant)
    if job is not None:
        qs = qs.filter(job=job)
    return qs.update(paused_reason=reason[:1000] or "paused", updated_at=timezone.now())


def schedule_resume(*, tenant, job=None, reason=None):
    """Resume; with `reason`, only the schedules paused for that reason (e.g. after reconnecting)."""
    qs = Schedule.objects.for_tenant(tenant).exclude(paused_reason="")
    if job is not None:
        qs = qs.filter(job=job)
    if reason is not None:
        qs = qs.filter(paused_reason=reason)
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


def schedules_due(*, now):
    return (
        Schedule.unscoped.select_for_update(skip_locked=True)
        .filter(enabled=True, paused_reason="", next_run_at__lte=now)
        .order_by("next_run_at")[:TICK_BATCH]
    )


def schedules_tick(*, now=None, enqueue=None):
    """Move each due schedule forward and enqueue its run, exactly once.

    Two ticks at the same moment: FOR UPDATE SKIP LOCKED gives each row to one of them,
    and the other sees the moved `next_run_at` once the first commits.
    """
    from .runs import run_enqueue

    now = now or timezone.now()
    enqueue = enqueue or run_enqueue
    picked = []
    with transaction.atomic():
        for schedule in schedules_due(now=now):
            if not _job_exists(schedule):
                continue
            schedule.next_run_at = now + timedelta(seconds=schedule.interval_seconds)
            schedule.save(update_fields=["next_run_at", "updated_at"])
            picked.append((schedule.tenant_id, schedule.job))
        for tenant_id, job in picked:
            enqueue(tenant_id=tenant_id, job=job, trigger="schedule")
    tick_record()
    return picked


def _job_exists(schedule):
    """A schedule of a job no longer registered is paused, so it cannot block the tick."""
    try:
        get_job(schedule.job)
    except UnknownJob:
        log.warning("schedule %s: unknown job %r, paused", schedule.pk, schedule.job)
        schedule.paused_reason = "This job is no longer available; contact support."
        schedule.save(update_fields=["paused_reason", "updated_at"])
        return False
    return True
