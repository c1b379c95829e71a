"""Owner actions shared by the web pages and the REST API (views stay thin)."""
import logging
from datetime import timedelta

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .channels import channel_find, channel_get, channel_of_job
from .models import OrderLedger, Schedule, SyncRun
from .registry import get_job
from .runs import run_enqueue
from .security import datetime_parse
from .schedules import schedule_disable, schedule_enable, schedule_resume, schedule_set_interval


@transaction.atomic
def channel_switch(*, tenant, channel, on):
    """Switch a channel on (its schedules enabled, first runs due now) or off (schedules disabled).

    Switching on first runs the channel's "Test connection" with the stored settings: credentials that fail
    are refused (ValidationError with the problems). The channel's own hook may refuse too (ValidationError,
    e.g. a mapping missing): nothing changes then.
    Switching on also lifts the channel's pauses: the owner asked for it to run (a cause still there pauses
    it again at the next run, with its reason).
    """
    spec = channel_get(channel)
    if on and spec.test_connection is not None and (problems := spec.test_connection(tenant=tenant, values={})):
        raise ValidationError(problems)
    if spec.on_switch is not None:
        spec.on_switch(tenant=tenant, on=on)
    for job in spec.jobs:
        if on:
            schedule_enable(tenant=tenant, job=job.name)
            schedule_resume(tenant=tenant, job=job.name)
        else:
            schedule_disable(tenant=tenant, job=job.name)
    return spec


def channel_resume(*, tenant, channel, reason_prefix=None):
    """Lift the pauses on the channel's schedules (the owner's "Resume"); returns how many were paused.

    With `reason_prefix`, only the pauses whose reason starts with it (a channel resumes what a saved
    setting fixed: e.g. new credentials lift "… refused the credentials …", not "Connect Lightspeed first").
    """
    return sum(schedule_resume(tenant=tenant, job=job.name, reason_prefix=reason_prefix)
               for job in channel_get(channel).jobs)


def channel_test_connection(*, tenant, channel, data):
    """"Test connection" with the unsaved settings form `data`: the channel's problems (empty: it works).

    The form's own field errors do not stop the test: the values that are valid are tested."""
    spec = channel_get(channel)
    if spec.test_connection is None:
        raise ValueError(f"{spec.title} has no connection test")
    form = spec.settings_form(data, tenant=tenant)
    form.is_valid()
    return list(spec.test_connection(tenant=tenant, values=form.cleaned_data))


def run_refusal(*, tenant, job):
    """Why "run now" would do nothing: the job's channel is off (with the first setup step left). None: it can run."""
    channel = channel_of_job(job)
    if channel is None or channel.is_source:
        return None
    names = [j.name for j in channel.jobs]
    if Schedule.objects.for_tenant(tenant).filter(job__in=names, enabled=True).exists():
        return None
    left = next((step.title for step in channel.setup_steps if not step.done(tenant=tenant)), None)
    first = f"{left[0].lower()}{left[1:]}, then " if left else ""
    return f"{channel.title} is off, so this run would do nothing. On the {channel.title} page: {first}switch it on."


def run_request(*, tenant, job, dry_run=False):
    """"Run now": queue the job like the scheduler does; returns the moment it was asked for.

    Refused (ValidationError, saying what is missing) when the job's channel is off."""
    get_job(job)
    refusal = run_refusal(tenant=tenant, job=job)
    if refusal:
        raise ValidationError(refusal)
    if not dry_run and (pending := run_pending(tenant=tenant, job=job)):
        return pending  # a double click, or a second tab: the same run
    asked_at = timezone.now()
    if not dry_run and not cache.add(_pending_key(tenant, job), asked_at.isoformat(), RUN_PENDING_SECONDS):
        if pending := run_pending(tenant=tenant, job=job):  # a click at the same moment won
            return pending
        cache.set(_pending_key(tenant, job), asked_at.isoformat(), RUN_PENDING_SECONDS)
    run_enqueue(tenant_id=tenant.pk, job=job, trigger=SyncRun.Trigger.MANUAL, dry_run=dry_run)
    return asked_at


log = logging.getLogger(__name__)
RUN_PENDING_SECONDS = 120  # a "run now" no worker picked up by then may be asked again


def _pending_key(tenant, job):
    return f"run-now:{tenant.pk}:{job}"


def run_pending(*, tenant, job):
    """When the "run now" still queued or running for this job was asked (its run has not ended), else None."""
    text = cache.get(_pending_key(tenant, job))
    asked_at = datetime_parse(text) if text else None
    if asked_at is None:
        return None
    ended = SyncRun.objects.for_tenant(tenant).filter(job=job, started_at__gte=asked_at - timedelta(seconds=1)).exclude(
        status__in=[SyncRun.Status.RUNNING, SyncRun.Status.YIELDED])
    return None if ended.exists() else asked_at


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


STUCK_AFTER = timedelta(minutes=10)


def order_retryable(*, order, now=None):
    """Whether "Retry" can do something for this order: its channel says, else: it failed, was skipped, carries
    an error, or is stuck half-way (not moved for STUCK_AFTER). A healthy accepted order is not retried."""
    channel = channel_find(order.channel)
    if channel is not None and channel.order_retryable is not None:
        return bool(channel.order_retryable(order=order))
    State = OrderLedger.State
    if order.state in (State.FAILED, State.SKIPPED) or order.last_error:
        return True
    halfway = order.state in (State.RECEIVED, State.CUSTOMER_READY, State.SALE_PENDING)
    return halfway and order.updated_at < (now or timezone.now()) - STUCK_AFTER


def order_retry(*, order):
    """Retry one ledger order: its channel's own retry, or re-queue the channel's import for that order.

    Refused (ValidationError) when a retry cannot do anything (order_retryable)."""
    if not order_retryable(order=order):
        raise ValidationError(f"Order {order.external_id} is {order.get_state_display().lower()} and has no error: "
                              f"there is nothing to retry.")
    channel = channel_find(order.channel)
    if channel is not None and channel.order_retry is not None:
        return channel.order_retry(order=order)
    run_enqueue(
        tenant_id=order.tenant_id,
        job=f"{order.channel}.orders_import",
        trigger=SyncRun.Trigger.RETRY,
        params={"external_id": order.external_id},
    )
    return order


def order_view(*, order):
    """The channel's view of one order (lines, totals, customer, links), or None when it declares none or
    cannot read the order's payload."""
    channel = channel_find(order.channel)
    if channel is None or channel.order_view is None:
        return None
    try:
        return channel.order_view(order=order)
    except Exception:  # noqa: BLE001  the page still shows the ledger's facts
        log.exception("order view of %s order %s failed", order.channel, order.external_id)
        return None
