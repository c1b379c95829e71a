"""Owner actions shared by the web pages and the REST API (views stay thin)."""
from importlib import import_module

from django.db import transaction
from django.utils import timezone

from .channels import channel_get
from .models import Schedule, SyncRun
from .registry import get_job
from .runs import run_enqueue
from .schedules import schedule_disable, schedule_enable, schedule_resume, schedule_set_interval


def _call_path(path, **kwargs):
    module, _, name = path.rpartition(".")
    return getattr(import_module(module), name)(**kwargs)


@transaction.atomic
def channel_switch(*, tenant, channel, on):
    """Switch a channel on (its schedules enabled, first runs due now) or off (schedules disabled).

    The channel's hook may refuse (ValidationError, e.g. credentials missing): nothing changes then.
    """
    spec = channel_get(channel)
    if spec.switch_hook:
        _call_path(spec.switch_hook, tenant=tenant, on=on)
    for job in spec.jobs:
        if on:
            schedule_enable(tenant=tenant, job=job.name)
        else:
            schedule_disable(tenant=tenant, job=job.name)
    return spec


def run_request(*, tenant, job, dry_run=False):
    """"Run now": queue the job like the scheduler does; returns the moment it was asked for."""
    get_job(job)
    asked_at = timezone.now()
    run_enqueue(tenant_id=tenant.pk, job=job, trigger=SyncRun.Trigger.MANUAL, dry_run=dry_run)
    return asked_at


def schedule_update(*, schedule, enabled=None, interval_seconds=None, resume=False):
    """The owner's schedule controls: on/off, interval (≥ the job's minimum), resume after a pause."""
    if interval_seconds is not None:  # first: a refused interval changes nothing
        schedule_set_interval(schedule=schedule, seconds=interval_seconds)
    if enabled is True and not schedule.enabled:
        schedule = schedule_enable(tenant=schedule.tenant, job=schedule.job)
    elif enabled is False and schedule.enabled:
        schedule_disable(tenant=schedule.tenant, job=schedule.job)
    if resume:
        schedule_resume(tenant=schedule.tenant, job=schedule.job)
    return Schedule.objects.for_tenant(schedule.tenant).get(pk=schedule.pk)


ORDER_RETRY_SERVICES = {
    # channel -> "module.function(ledger=)" provided by the channel package, when it has one
    "miinto": "channels.miinto.services.miinto_order_retry",
}


def order_retry(*, order):
    """Retry one ledger order: the channel's own retry service, or re-queue its import for that order."""
    path = ORDER_RETRY_SERVICES.get(order.channel)
    if path:
        module, _, name = path.rpartition(".")
        try:
            service = getattr(import_module(module), name)
        except (ImportError, AttributeError):
            service = None
        if service is not None:
            return service(ledger=order)
    run_enqueue(
        tenant_id=order.tenant_id,
        job=f"{order.channel}.orders_import",
        trigger=SyncRun.Trigger.RETRY,
        params={"external_id": order.external_id},
    )
    return order


