from .models import SyncRun


def runs_recent(*, limit=50, job=None, failed_only=False):
    """Recent runs of the current tenant."""
    qs = SyncRun.objects.all()
    if job:
        qs = qs.filter(job=job)
    if failed_only:
        qs = qs.filter(status=SyncRun.Status.FAILED)
    return qs.order_by("-started_at")[:limit]
