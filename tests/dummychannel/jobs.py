from datetime import timedelta

from connector.registry import register_job


@register_job("dummy.sync", interval=timedelta(minutes=5), title="Dummy: push items")
def sync_job(ctx):
    from .services import dummy_sync

    dummy_sync(ctx=ctx)
