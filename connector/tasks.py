"""Thin Celery tasks: load ids, call one service."""
from celery import shared_task

from .dispatch import run_orders_from_rows, runs_publish
from .runs import run_job_with_retry
from .schedules import schedules_tick


@shared_task(name="connector.tasks.tick", ignore_result=True)
def tick():
    return len(schedules_tick())


@shared_task(name="connector.tasks.run_job", ignore_result=True)
def run_job_task(tenant_id, job, trigger="schedule", dry_run=False, params=None, attempt=1):
    run = run_job_with_retry(tenant_id=tenant_id, job=job, trigger=trigger, dry_run=dry_run, params=params,
                             attempt=attempt)
    return run.pk if run else None


@shared_task(name="connector.tasks.publish_runs", ignore_result=True)
def publish_runs(rows):
    """One chunk of a large tick: publish its runs (on the queue whose worker runs them)."""
    orders = run_orders_from_rows(rows)
    runs_publish(orders)
    return len(orders)
