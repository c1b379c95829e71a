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
PUBLISH_RUNS_TASK = "connector.tasks.publish_runs"
# Above this many runs, the tick publishes them in chunks of this size, one message per chunk on the runs'
# own queue; that queue's workers publish the single runs (connector.tasks.publish_runs). A tick with 60,000
# due runs then sends 240 messages, not 60,000 (about half a millisecond each).
FANOUT_CHUNK = 250
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
    """Send every order to its job's queue over one broker connection (in chunks when there are many)."""
    if not orders:
        return
    with celery_app.producer_or_acquire() as producer:
        if len(orders) <= FANOUT_CHUNK:
            _publish_each(orders, producer)
        else:
            _publish_chunks(orders, producer)


def _publish_each(orders, producer):
    task = celery_app.tasks[RUN_JOB_TASK]
    for order in orders:
        kwargs = {"trigger": order.trigger, "dry_run": order.dry_run, "params": order.params, "attempt": order.attempt}
        # argsrepr/kwargsrepr given: Celery's saferepr of them is an eighth of a publish.
        task.apply_async(args=[order.tenant_id, order.job], kwargs=kwargs, countdown=order.countdown,
                         queue=run_queue(order.job), producer=producer,
                         argsrepr=f"[{order.tenant_id}, {order.job!r}]", kwargsrepr=f"{{'trigger': {order.trigger!r}}}")


def _publish_chunks(orders, producer):
    task = celery_app.tasks[PUBLISH_RUNS_TASK]
    by_queue = {}
    for order in orders:
        by_queue.setdefault(run_queue(order.job), []).append(order)
    for queue, queued in by_queue.items():
        for start in range(0, len(queued), FANOUT_CHUNK):
            rows = [run_order_row(order) for order in queued[start:start + FANOUT_CHUNK]]
            task.apply_async(args=[rows], queue=queue, producer=producer, argsrepr=f"[{len(rows)} runs]")


def run_order_row(order):
    """A RunOrder as a compact JSON-able list (what a chunk message carries)."""
    return [order.tenant_id, order.job, order.trigger, order.dry_run, order.params, order.attempt, order.countdown]


def run_orders_from_rows(rows):
    return [RunOrder(*row) for row in rows]


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
