from django import template
from django.utils import timezone
from django.utils.formats import date_format

from connector.dashboard import run_records

register = template.Library()


@register.filter
def records(counts):
    """Records synced by a run, from its counts."""
    return run_records(counts)


@register.filter
def next_run(moment):
    """When a schedule runs next, in the owner's words: a time already past is "due now"."""
    if moment is None:
        return "–"
    if moment <= timezone.now():
        return "due now"
    return date_format(timezone.localtime(moment), "M d, H:i")


@register.simple_tag(takes_context=True)
def run_live(context, job):
    """The "run now" of `job` still queued or running (after a reload too): {asked_at, run, events}, or None."""
    from connector.dashboard import run_after, run_ended, run_event_count, run_running
    from connector.services import run_pending

    request = context.get("request")
    tenant = getattr(request, "tenant", None)
    if tenant is None:
        return None
    running = run_running(job=job)
    asked_at = run_pending(tenant=tenant, job=job) or (running.started_at if running else None)
    if asked_at is None:
        return None
    run = run_after(job=job, asked_at=asked_at)
    if run_ended(run):
        return None
    return {"asked_at": asked_at.isoformat(), "run": run, "events": run_event_count(run) if run else 0}


@register.filter
def retryable(order):
    """Offer "Retry" only where a retry can do something (connector.services.order_retryable)."""
    from connector.services import order_retryable

    return order_retryable(order=order)
