"""run_job: one run of one job for one tenant, with its lock, SyncRun and events."""
import logging
import traceback
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from tenants.context import tenant_context
from tenants.models import Tenant

from .context import RunContext
from .dispatch import follower_requeue, followers_enqueue, run_enqueue
from .errors import ConfigError, RunLocked, TransientError, Yield
from .models import SyncRun
from .redact import redact_text
from .registry import get_job
from .schedules import schedule_defer, schedule_pause, schedule_record_outcome, schedule_resume

__all__ = ["run_enqueue", "run_job", "run_job_with_retry", "run_retry"]  # run_enqueue: from .dispatch

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 4
# A yieldable run waits on a rate limit at most this long at once, and this long in all, before
# it gives its worker slot back (the rate limiter raises WaitTooLong).
YIELD_AFTER_SECONDS = 5.0


def backoff_for(attempt, retry_after=None):
    base = timedelta(seconds=30 * 2 ** (attempt - 1))
    if retry_after:
        base = max(base, timedelta(seconds=retry_after))
    return min(base, timedelta(hours=1))


def runs_release_stale(*, tenant, job):
    """A run whose worker died keeps its lock until its heartbeat is stale; then it is failed."""
    cutoff = timezone.now() - timedelta(seconds=settings.RUN_STALE_AFTER_SECONDS)
    stale = SyncRun.objects.for_tenant(tenant).filter(job=job, status=SyncRun.Status.RUNNING, heartbeat_at__lt=cutoff)
    return stale.update(
        status=SyncRun.Status.FAILED,
        error_kind=SyncRun.ErrorKind.BUG,
        error="abandoned: its worker stopped without finishing",
        finished_at=timezone.now(),
    )


def run_start(*, tenant, job, trigger, dry_run=False, params=None, attempt=1):
    """Create the running SyncRun, which is the (tenant, job) lock. Raises RunLocked."""
    runs_release_stale(tenant=tenant, job=job)
    now = timezone.now()
    try:
        with transaction.atomic():
            return SyncRun.objects.create(
                tenant=tenant, job=job, trigger=trigger, dry_run=dry_run, params=params or {},
                attempt=attempt, started_at=now, heartbeat_at=now,
            )
    except IntegrityError:
        running = SyncRun.objects.for_tenant(tenant).filter(job=job, status=SyncRun.Status.RUNNING).first()
        raise RunLocked(f"{job} is already running for {tenant.slug} (run #{running.pk if running else '?'})") from None


def run_finish(run, ctx, *, status, error_kind="", error="", tb=""):
    ctx.flush()
    run.status = status
    run.error_kind = error_kind
    run.error = redact_text(error)[:5000]
    run.traceback = redact_text(tb)
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "error_kind", "error", "traceback", "finished_at", "counts", "heartbeat_at"])
    return run


def run_job(*, tenant, job, trigger="manual", dry_run=False, params=None, attempt=1, clock=None, can_yield=False):
    """Run `job` for `tenant` now, in this process. Returns the finished SyncRun.

    Transient errors fail the run with error_kind=transient (the caller retries);
    config errors pause the schedule with the owner-facing reason; anything else is a bug.
    With `can_yield` (the worker path) a job declared `can_yield` may raise Yield: the run ends
    `yielded` with `run.resume` set, and the caller re-queues it. `run.run_again` is the job's
    ctx.run_again().
    """
    spec = get_job(job)
    with tenant_context(tenant):
        run = run_start(tenant=tenant, job=job, trigger=trigger, dry_run=dry_run, params=params, attempt=attempt)
        ctx = RunContext(run=run, tenant=tenant, dry_run=dry_run, params=params, clock=clock,
                         yield_after=YIELD_AFTER_SECONDS if can_yield and spec.can_yield else None)
        run.resume, run.run_again = None, False
        try:
            spec.func(ctx)
        except Yield as exc:
            ctx.info(f"waiting {exc.seconds:.0f}s for the rate limit: the worker slot is given back; resumes then")
            run_finish(run, ctx, status=SyncRun.Status.YIELDED)
            run.resume = exc
            schedule_defer(tenant=tenant, job=job, seconds=exc.seconds)
            run.followers = _followers_queue(ctx, tenant=tenant, job=job)
            return run
        except TransientError as exc:
            ctx.warning(f"temporary problem, will retry: {exc}")
            run_finish(run, ctx, status=SyncRun.Status.FAILED, error_kind=SyncRun.ErrorKind.TRANSIENT, error=str(exc))
            run.retry_after = exc.retry_after
        except ConfigError as exc:
            ctx.error(f"paused: {exc}")
            schedule_pause(tenant=tenant, reason=str(exc), job=None if exc.pause_tenant else job)
            run_finish(run, ctx, status=SyncRun.Status.FAILED, error_kind=SyncRun.ErrorKind.CONFIG, error=str(exc))
        except Exception as exc:
            log.exception("run #%s %s for %s failed", run.pk, job, tenant.slug)
            run_finish(run, ctx, status=SyncRun.Status.FAILED, error_kind=SyncRun.ErrorKind.BUG,
                       error=f"{type(exc).__name__}: {exc}", tb=traceback.format_exc())
        else:
            status = SyncRun.Status.PARTIAL if ctx.record_failures else SyncRun.Status.SUCCEEDED
            run_finish(run, ctx, status=status)
            if not dry_run:  # the job works again: whatever paused it is fixed
                schedule_resume(tenant=tenant, job=job)
        run.run_again = ctx.again and run.status != SyncRun.Status.FAILED
        run.followers = _followers_queue(ctx, tenant=tenant, job=job)
        if trigger != SyncRun.Trigger.MANUAL and not dry_run:
            schedule_record_outcome(tenant=tenant, job=job, failed=run.status == SyncRun.Status.FAILED)
    return run


def _followers_queue(ctx, *, tenant, job):
    """The jobs that follow `job`, queued when this run wrote something: whatever its outcome (what it wrote
    before failing or yielding is committed, and a retry would find nothing new to announce)."""
    if not ctx.changes or ctx.dry_run:
        return []
    return followers_enqueue(tenant_id=tenant.pk, job=job)


def run_job_with_retry(*, tenant_id, job, trigger="schedule", dry_run=False, params=None, attempt=1):
    """The task body: run, then re-queue what comes next (a retry with backoff, a yielded run's
    resumption with the wait as countdown, or one more run when the job found more work)."""
    tenant = Tenant.objects.get(pk=tenant_id)
    try:
        run = run_job(tenant=tenant, job=job, trigger=trigger, dry_run=dry_run, params=params, attempt=attempt,
                      can_yield=True)
    except RunLocked as exc:
        log.info("skipped: %s", exc)
        follower_requeue(tenant_id=tenant_id, job=job, params=params, attempt=attempt)
        return None
    again = {"tenant_id": tenant_id, "job": job, "dry_run": dry_run}
    if run.error_kind == SyncRun.ErrorKind.TRANSIENT and attempt < MAX_ATTEMPTS:
        delay = backoff_for(attempt, getattr(run, "retry_after", None))
        run_enqueue(**again, trigger=SyncRun.Trigger.RETRY, params=params, attempt=attempt + 1,
                    countdown=delay.total_seconds())
    elif run.resume is not None:
        run_enqueue(**again, trigger=SyncRun.Trigger.RESUME, params={**(params or {}), **run.resume.resume},
                    countdown=run.resume.seconds)
    elif run.run_again and not dry_run:
        run_enqueue(**again, trigger=SyncRun.Trigger.SCHEDULE)
    return run


def run_retry(*, run):
    """Support's "retry": the same job, params and dry-run flag, queued like any other run."""
    run_enqueue(tenant_id=run.tenant_id, job=run.job, trigger=SyncRun.Trigger.RETRY, dry_run=run.dry_run,
                params=run.params)
