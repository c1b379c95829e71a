from django import template
from django.utils import timezone
from django.utils.formats import date_format

from connector.channels import channel_find
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


@register.filter
def summary(counts):
    """A run's counts in the owner's words, e.g. "979 rows in the feed, 2 sales found"; "nothing to do" if none."""
    from connector.channels import count_words_all

    counts = counts or {}
    parts = [f"{_number(counts[key])} {words}" for key, words in count_words_all().items()
             if isinstance(counts.get(key), (int, float)) and counts[key]]
    parts += [f"{_number(n)} {key.removesuffix('.written').replace('_', ' ')} updated" for key, n in counts.items()
              if key.endswith(".written") and key not in count_words_all() and isinstance(n, (int, float)) and n]
    return ", ".join(parts) or "nothing to do"


def _number(n):
    return int(n) if float(n).is_integer() else n


@register.filter
def every(seconds):
    """An interval in the owner's words: "20 s", "30 min", "1 h", "1 day"."""
    if not seconds:
        return "–"
    for unit, size in (("day", 86400), ("h", 3600), ("min", 60)):
        if seconds >= size and seconds % size == 0:
            n = seconds // size
            return f"{n} {unit}{'s' if unit == 'day' and n > 1 else ''}"
    return f"{seconds} s"


@register.filter
def job_title(name):
    """A job's title (its key is for support), or the key of a job no longer registered."""
    from connector.registry import UnknownJob, get_job

    try:
        return get_job(name).title
    except UnknownJob:
        return name


@register.filter
def order_state(state):
    """An order state's label, e.g. "Open sale in Lightspeed" for sale_created."""
    from connector.models import OrderLedger

    try:
        return OrderLedger.State(state).label
    except ValueError:
        return state


@register.filter
def channel_title(key):
    """A channel's own title ("SmartEtailing"), not its key title-cased."""
    channel = channel_find(key)
    return channel.title if channel else str(key).title()
