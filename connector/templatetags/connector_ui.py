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
