"""Publishing runs to Celery: the one path for the tick, retries, admin, UI and API.

This module sits below runs.py and schedules.py and names the task instead of importing it
(tasks.py imports runs and schedules), so there is no import cycle:
tasks -> runs -> schedules -> dispatch -> registry.
"""
from dataclasses import dataclass, field

from django.db import transaction

from .celery import app as celery_app
from .registry import followers_of, get_job

RUN_JOB_TASK = "connector.tasks.run_job"
# A follower that finds its previous run still going is queued again this much later, this many times,
# so the changes it was called for are not left to its fallback interval.
FOLLOW_RETRY_SECONDS = 5.0
FOLLOW_ATTEMPTS = 6


@dataclass(frozen=True)
class RunOrder:
    """One run to queue."""

    tenant_id: int
    job: str
    trigger: str = "manual"
    dry_run: bool = False
    params: dict = field(default_factory=dict)
    attempt: int = 1
    countdown: float | None = None


def run_queue(job):
    return get_job(job).queue


def runs_publish(orders):
    """Send every order to its job's queue over one broker connection."""
    if not orders:
        return
    task = celery_app.tasks[RUN_JOB_TASK]
    with celery_app.producer_or_acquire() as producer:
        for order in orders:
            kwargs = {"trigger": order.trigger, "dry_run": order.dry_run, "params": order.params,
                      "attempt": order.attempt}
            # argsrepr/kwargsrepr given: Celery's saferepr of them is an eighth of a publish.
            task.apply_async(args=[order.tenant_id, order.job], kwargs=kwargs, countdown=order.countdown,
                             queue=run_queue(order.job), producer=producer,
                             argsrepr=f"[{order.tenant_id}, {order.job!r}]",
                             kwargsrepr=f"{{'trigger': {order.trigger!r}}}")


def runs_enqueue(orders):
    """Queue these runs once the current transaction commits, in one go."""
    orders = list(orders)
    for job in {order.job for order in orders}:
        get_job(job)  # an unknown job fails here, in the caller, not in the worker
    if orders:
        transaction.on_commit(lambda: runs_publish(orders))


def scheduled_runs_enqueue(picked):
    """The tick's [(tenant_id, job)]: built into orders after commit, so the claim's locks go sooner."""
    if picked:
        transaction.on_commit(lambda: runs_publish([RunOrder(tenant_id=t, job=job, trigger="schedule")
                                                    for t, job in picked]))


def run_enqueue(*, tenant_id, job, trigger="manual", dry_run=False, params=None, attempt=1, countdown=None):
    """Queue one run once the current transaction commits."""
    runs_enqueue([RunOrder(tenant_id=tenant_id, job=job, trigger=trigger, dry_run=dry_run, params=params or {},
                           attempt=attempt, countdown=countdown)])


def followers_enqueue(*, tenant_id, job):
    """After a run of `job` that found changes: queue (on commit) every job that follows it and is
    scheduled, enabled and not paused for this tenant. Their params say what they follow."""
    from .models import Schedule  # models import nothing of this module; kept local for the import order

    names = followers_of(job)
    if not names:
        return []
    due = list(Schedule.objects.for_tenant(tenant_id).filter(job__in=names, enabled=True, paused_reason="")
               .values_list("job", flat=True))
    orders = [RunOrder(tenant_id=tenant_id, job=name, trigger="schedule", params={"after": job}) for name in due]
    runs_enqueue(orders)
    return due


def follower_requeue(*, tenant_id, job, params, attempt):
    """A follower found its previous run still going: try again shortly (the changes may be newer than what
    that run read). Returns whether it was queued."""
    if not (params or {}).get("after") or attempt >= FOLLOW_ATTEMPTS:
        return False
    run_enqueue(tenant_id=tenant_id, job=job, trigger="schedule", params=params, attempt=attempt + 1,
                countdown=FOLLOW_RETRY_SECONDS)
    return True
