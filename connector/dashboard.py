"""Selectors for the owner's dashboard: per channel state, run status, and the chart's numbers."""
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Count, Q
from django.utils import timezone

from .channels import channels_all, record_count_labels
from .models import OrderLedger, Schedule, SyncEvent, SyncRun



def run_records(counts, record_keys=None):
    """Records a run synced: its `*.written` counts plus the writes channels declare (`count_labels`)."""
    record_keys = record_count_labels() if record_keys is None else record_keys
    return int(sum(v for k, v in (counts or {}).items()
                   if isinstance(v, (int, float)) and (k.endswith("written") or k in record_keys)))


@dataclass
class JobState:
    name: str
    title: str
    schedule: Schedule | None
    last_run: SyncRun | None
    runs_24h: int = 0
    failed_24h: int = 0


@dataclass
class ChannelState:
    channel: object
    jobs: list = field(default_factory=list)
    shared_warning: str = ""  # the channel's shared_identity warning

    @property
    def enabled(self):
        return any(j.schedule and j.schedule.enabled for j in self.jobs)

    @property
    def paused_reasons(self):
        return sorted({j.schedule.paused_reason for j in self.jobs if j.schedule and j.schedule.paused_reason})

    @property
    def last_run(self):
        runs = [j.last_run for j in self.jobs if j.last_run]
        return max(runs, key=lambda r: r.started_at) if runs else None

    @property
    def next_run_at(self):
        due = [j.schedule.next_run_at for j in self.jobs
               if j.schedule and j.schedule.enabled and not j.schedule.paused_reason]
        return min(due) if due else None

    @property
    def failed_24h(self):
        return sum(j.failed_24h for j in self.jobs)

    @property
    def runs_24h(self):
        return sum(j.runs_24h for j in self.jobs)


def channel_states(*, now=None):
    """Every channel with its jobs' schedule, last run and the last 24 hours' run/failure counts."""
    now = now or timezone.now()
    schedules = {s.job: s for s in Schedule.objects.all()}
    stats = {
        row["job"]: row
        for row in SyncRun.objects.filter(started_at__gte=now - timedelta(hours=24))
        .values("job")
        .annotate(total=Count("id"), failed=Count("id", filter=Q(status=SyncRun.Status.FAILED)))
    }
    states = []
    for channel in channels_all():
        state = ChannelState(channel=channel, shared_warning=channel_shared_warning(channel))
        for job in channel.jobs:
            row = stats.get(job.name, {})
            state.jobs.append(JobState(
                name=job.name, title=job.title, schedule=schedules.get(job.name),
                last_run=SyncRun.objects.filter(job=job.name).order_by("-started_at").first(),
                runs_24h=row.get("total", 0), failed_24h=row.get("failed", 0),
            ))
        states.append(state)
    return states


def channel_shared_warning(channel):
    """The channel's warning that another tenant uses the same account ("" when none, or no tenant set)."""
    from tenants.context import get_current_tenant

    tenant = get_current_tenant()
    if channel.shared_identity is None or tenant is None:
        return ""
    return channel.shared_identity(tenant=tenant) or ""


def channel_state(channel):
    return next(s for s in channel_states() if s.channel.key == channel.key)


def run_after(*, job, asked_at):
    """The run a "run now" started: the latest run of `job` that began at or after `asked_at` (a yielded run's
    resumption is a newer run of the same chain)."""
    since = asked_at - timedelta(seconds=1)
    return SyncRun.objects.filter(job=job, started_at__gte=since).order_by("-started_at", "-id").first()


RUN_ACTIVE = (SyncRun.Status.RUNNING, SyncRun.Status.YIELDED)


def run_ended(run):
    return bool(run and run.status not in RUN_ACTIVE)


def run_running(*, job):
    return SyncRun.objects.filter(job=job, status=SyncRun.Status.RUNNING).first()


def run_event_count(run):
    return SyncEvent.objects.filter(run=run).count()


def runs_daily(*, days=14, tz, now=None):
    """Per local day for the last `days` days: runs ok, runs failed, records synced."""
    now = now or timezone.now()
    today = timezone.localtime(now, tz).date()
    buckets = OrderedDict((today - timedelta(days=i), {"ok": 0, "failed": 0, "records": 0})
                          for i in reversed(range(days)))
    since = now - timedelta(days=days)
    record_keys = record_count_labels()
    for started_at, status, counts in SyncRun.objects.filter(started_at__gte=since, dry_run=False).values_list(
        "started_at", "status", "counts"
    ).iterator(chunk_size=2000):
        bucket = buckets.get(timezone.localtime(started_at, tz).date())
        if bucket is None:
            continue
        bucket["failed" if status == SyncRun.Status.FAILED else "ok"] += 1
        bucket["records"] += run_records(counts, record_keys)
    return [{"day": day, **values} for day, values in buckets.items()]


def orders_recent(*, channel=None, state=None, attention=False, limit=50):
    qs = OrderLedger.objects.all()
    if channel:
        qs = qs.filter(channel=channel)
    if state:
        qs = qs.filter(state=state)
    if attention:
        qs = qs.exclude(attention="")
    return qs.order_by("-updated_at")[:limit]


def orders_attention_count():
    return OrderLedger.objects.exclude(attention="").count()


def orders_state_counts():
    return dict(OrderLedger.objects.values_list("state").annotate(n=Count("id")).values_list("state", "n"))
