from django import template

from connector.dashboard import run_records

register = template.Library()


@register.filter
def records(counts):
    """Records synced by a run, from its counts."""
    return run_records(counts)
