from django.db import models
from django.db.models import Q

from tenants.scoping import TenantOwned


class Schedule(TenantOwned):
    """When a (tenant, job) runs next. The beat tick picks the due ones.

    No index holds `next_run_at`: the tick moves thousands of rows a second, and with no indexed column
    changing each move is a HOT update (no index writes; the table keeps free space on every page, see
    migration 0006). Finding the due rows is a scan of this narrow table, a few ms per 10,000 schedules.
    """

    # The unique (tenant, job) serves every lookup by tenant: no index of its own.
    tenant = models.ForeignKey("tenants.Tenant", on_delete=models.CASCADE, related_name="+", db_index=False)
    job = models.CharField(max_length=100)
    enabled = models.BooleanField(default=True)
    paused_reason = models.TextField(blank=True, help_text="Non-empty = paused; shown to the store owner.")
    interval_seconds = models.PositiveIntegerField()
    next_run_at = models.DateTimeField()
    consecutive_failures = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tenant", "job"], name="schedule_unique_tenant_job")]

    def __str__(self):
        return f"{self.tenant_id}:{self.job}"

    @property
    def is_paused(self):
        return bool(self.paused_reason)


class SyncRun(TenantOwned):
    class Trigger(models.TextChoices):
        SCHEDULE = "schedule", "Schedule"
        MANUAL = "manual", "Manual"
        RETRY = "retry", "Retry"
        RESUME = "resume", "Resume after yielding"

    class Status(models.TextChoices):
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        PARTIAL = "partial", "Succeeded with record errors"
        YIELDED = "yielded", "Yielded (resumes where it stopped)"
        FAILED = "failed", "Failed"

    class ErrorKind(models.TextChoices):
        NONE = "", "None"
        TRANSIENT = "transient", "Transient (retried)"
        CONFIG = "config", "Configuration (owner must act)"
        BUG = "bug", "Bug (support)"

    job = models.CharField(max_length=100)
    trigger = models.CharField(max_length=10, choices=Trigger.choices, default=Trigger.SCHEDULE)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING)
    dry_run = models.BooleanField(default=False)
    params = models.JSONField(default=dict, blank=True)
    attempt = models.PositiveSmallIntegerField(default=1)
    started_at = models.DateTimeField()
    heartbeat_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    counts = models.JSONField(default=dict, blank=True)
    error_kind = models.CharField(max_length=10, choices=ErrorKind.choices, blank=True, default="")
    error = models.TextField(blank=True)
    traceback = models.TextField(blank=True)

    class Meta:
        constraints = [
            # The lock: at most one running run per (tenant, job).
            models.UniqueConstraint(
                fields=["tenant", "job"], condition=Q(status="running"), name="syncrun_one_running_per_job"
            ),
        ]
        # One index per admin filter, each ending in the list's ordering (-started_at, -id).
        indexes = [
            models.Index(fields=["tenant", "-started_at", "-id"], name="syncrun_tenant_started"),
            models.Index(fields=["job", "-started_at", "-id"], name="syncrun_job_started"),
            models.Index(fields=["status", "-started_at", "-id"], name="syncrun_status_started"),
            models.Index(fields=["-started_at", "-id"], name="syncrun_started"),
        ]

    def __str__(self):
        return f"#{self.pk} {self.job} {self.status}"

    @property
    def duration(self):
        return (self.finished_at - self.started_at) if self.finished_at else None


class SyncEvent(TenantOwned):
    class Level(models.TextChoices):
        DEBUG = "debug", "Debug"
        INFO = "info", "Info"
        WARNING = "warning", "Warning"
        ERROR = "error", "Error"

    run = models.ForeignKey(SyncRun, on_delete=models.CASCADE, related_name="events")
    job = models.CharField(max_length=100, blank=True, help_text="The run's job, copied so the log filters by job")
    created_at = models.DateTimeField()
    level = models.CharField(max_length=10, choices=Level.choices, default=Level.INFO)
    message = models.TextField()
    object_type = models.CharField(max_length=50, blank=True)
    object_id = models.CharField(max_length=100, blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        # One index per admin filter, each ending in the list's ordering (-created_at, -id):
        # the log holds millions of rows and every page must be an index range scan.
        indexes = [
            models.Index(fields=["run", "id"], name="syncevent_run"),
            models.Index(fields=["object_id"], name="syncevent_object"),
            models.Index(fields=["tenant", "-created_at", "-id"], name="syncevent_tenant_created"),
            models.Index(fields=["level", "-created_at", "-id"], name="syncevent_level_created"),
            models.Index(fields=["job", "-created_at", "-id"], name="syncevent_job_created"),
            models.Index(fields=["-created_at", "-id"], name="syncevent_created"),
        ]

    def __str__(self):
        return f"{self.level}: {self.message[:60]}"


class OrderLedger(TenantOwned):
    """One row per foreign order, written before anything is written to Lightspeed.

    A retry, a crash or a second delivery finds this row and continues from its state.
    """

    class State(models.TextChoices):
        RECEIVED = "received", "Received"
        CUSTOMER_READY = "customer_ready", "Customer ready"
        SALE_PENDING = "sale_pending", "Creating sale"
        SALE_CREATED = "sale_created", "Open sale in Lightspeed"
        ACCEPTED = "accepted", "Accepted on channel"
        DECLINED = "declined", "Declined on channel"
        SKIPPED = "skipped", "Skipped (no Lightspeed products)"
        FAILED = "failed", "Needs attention"

    channel = models.CharField(max_length=40)
    external_id = models.CharField(max_length=100)
    state = models.CharField(max_length=20, choices=State.choices, default=State.RECEIVED)
    reference = models.CharField(max_length=120, blank=True, help_text="Lightspeed referenceNumber")
    sale_id = models.CharField(max_length=30, blank=True)
    customer_id = models.CharField(max_length=30, blank=True)
    payload = models.JSONField(default=dict, blank=True)
    details = models.JSONField(default=dict, blank=True)
    last_error = models.TextField(blank=True)
    attempts = models.PositiveIntegerField(default=0)
    # Exactly once (docs/orders.md): when the first sale POST was sent, no new POST before `settle_after`
    # (set after an ambiguous outcome), look the reference up again until `watch_until`.
    pending_since = models.DateTimeField(null=True, blank=True)
    settle_after = models.DateTimeField(null=True, blank=True)
    watch_until = models.DateTimeField(null=True, blank=True)
    sale_ids = models.JSONField(default=list, blank=True, help_text="Every Lightspeed sale this ledger row made")
    attention = models.TextField(blank=True, help_text="Non-empty = needs a person (shown on the orders page)")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["tenant", "channel", "external_id"], name="ledger_unique_order"),
        ]
        indexes = [
            models.Index(fields=["tenant", "channel", "state"], name="ledger_state"),
            models.Index(fields=["tenant", "sale_id"], name="ledger_sale"),
            models.Index(fields=["-updated_at", "-id"], name="ledger_updated"),
            models.Index(fields=["tenant", "-updated_at", "-id"], name="ledger_tenant_updated"),
            models.Index(fields=["watch_until"], name="ledger_watched", condition=Q(watch_until__isnull=False)),
        ]

    def __str__(self):
        return f"{self.channel}:{self.external_id} {self.state}"


class SyncCursor(TenantOwned):
    """Where a job's incremental read left off: a high-water mark, named `<channel>.<what>`
    (e.g. "lightspeed.item")."""

    name = models.CharField(max_length=60)
    value = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tenant", "name"], name="sync_cursor_unique")]

    def __str__(self):
        return f"{self.name} at {self.value}"
