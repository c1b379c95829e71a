"""Support staff's view: runs, events, schedules and the order ledger, across tenants.

Every list reads through the explicit `unscoped` manager, never counts a whole table
(EstimatedCountPaginator), selects its foreign keys in one query, and filters only on
columns with an index that ends in the list's ordering (connector/models.py).
"""
from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from .channels import channel_get
from .models import OrderLedger, Schedule, SyncEvent, SyncRun
from .paginators import EstimatedCountPaginator
from .registry import all_jobs
from .runs import run_enqueue, run_retry
from .schedules import schedule_pause, schedule_resume

EVENTS_SHOWN_ON_RUN = 100


class JobFilter(admin.SimpleListFilter):
    """Jobs from the registry (no SELECT DISTINCT over a big table)."""

    title = "job"
    parameter_name = "job"

    def lookups(self, request, model_admin):
        return [(job.name, job.name) for job in all_jobs()]

    def queryset(self, request, queryset):
        return queryset.filter(job=self.value()) if self.value() else queryset


class ChannelFilter(admin.SimpleListFilter):
    title = "channel"
    parameter_name = "channel"

    def lookups(self, request, model_admin):
        channels = sorted({job.channel for job in all_jobs()} - {"lightspeed"})
        return [(name, name) for name in channels]

    def queryset(self, request, queryset):
        return queryset.filter(channel=self.value()) if self.value() else queryset


class UnscopedAdmin(admin.ModelAdmin):
    """Support staff see every tenant: admin reads through the explicit `unscoped` manager."""

    show_full_result_count = False
    paginator = EstimatedCountPaginator
    list_select_related = ["tenant"]
    list_per_page = 50

    def get_queryset(self, request):
        queryset = self.model.unscoped.all()
        ordering = self.get_ordering(request)
        return queryset.order_by(*ordering) if ordering else queryset


class ExactSearchMixin:
    """Search by exact values only (`=field` in Django would be UPPER(field) = UPPER(x): no index)."""

    exact_search_fields = ()
    search_fields = ["_"]  # shows the search box; get_search_results does the work

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if not term:
            return queryset, False
        return queryset.filter(self.search_q(term)), False

    def search_q(self, term):
        from django.db.models import Q

        q = Q()
        for field in self.exact_search_fields:
            q |= Q(**{field: term})
        if term.isdigit():
            q |= Q(pk=int(term))
        return q


class ChannelOrderAdmin(ExactSearchMixin, UnscopedAdmin):
    """A channel's own view of the order ledger (its proxy model): its rows only, read-only, each with its
    latest events, and "Retry this order" through the channel's `order_retry`. Set `channel`."""

    channel = ""
    list_filter = ["state", ("updated_at", admin.DateFieldListFilter), "tenant"]
    ordering = ["-updated_at", "-id"]
    actions = ["retry"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(channel=self.channel)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):  # the row is what keeps the order from a second sale
        return False

    @admin.display(description="events")
    def events(self, order):
        rows = (SyncEvent.unscoped.filter(tenant_id=order.tenant_id, object_id=order.external_id,
                                          object_type=f"{self.channel}_order").order_by("-id")[:EVENTS_SHOWN_ON_RUN])
        return format_html_join("\n", "<div>{} · {} · {}</div>",
                                ((e.created_at.strftime("%Y-%m-%d %H:%M:%S"), e.level, e.message) for e in rows))

    @admin.action(description="Retry this order")
    def retry(self, request, queryset):
        retry = channel_get(self.channel).order_retry
        jobs = [retry(order=order) for order in queryset]
        messages.info(request, f"Queued {len(jobs)} order retry run(s).")


@admin.register(Schedule)
class ScheduleAdmin(UnscopedAdmin):
    list_display = ["tenant", "job", "enabled", "paused_reason", "interval_seconds", "next_run_at",
                    "consecutive_failures"]
    list_filter = [JobFilter, "enabled", "tenant"]
    search_fields = ["tenant__slug", "job"]
    ordering = ["tenant__slug", "job"]
    actions = ["run_now", "pause", "resume"]

    @admin.action(description="Run now (queue like the scheduler)")
    def run_now(self, request, queryset):
        schedules = list(queryset)
        for schedule in schedules:
            run_enqueue(tenant_id=schedule.tenant_id, job=schedule.job, trigger="manual")
        messages.info(request, f"Queued {len(schedules)} run(s).")

    @admin.action(description="Pause")
    def pause(self, request, queryset):
        for schedule in queryset:
            schedule_pause(tenant=schedule.tenant, job=schedule.job, reason=f"Paused by support ({request.user}).")
        messages.info(request, "Paused.")

    @admin.action(description="Resume")
    def resume(self, request, queryset):
        for schedule in queryset:
            schedule_resume(tenant=schedule.tenant, job=schedule.job)
        messages.info(request, "Resumed; due now.")


@admin.register(SyncRun)
class SyncRunAdmin(ExactSearchMixin, UnscopedAdmin):
    # Short columns only: the counts are a one-line summary here (all of them on the run's page).
    list_display = ["id", "tenant", "job", "trigger", "status", "error_kind", "started_at", "duration", "result"]
    list_filter = ["status", JobFilter, "trigger", "error_kind", ("started_at", admin.DateFieldListFilter), "tenant"]
    ordering = ["-started_at", "-id"]
    readonly_fields = [f.name for f in SyncRun._meta.fields] + ["events"]
    actions = ["retry", "run_now"]

    def search_q(self, term):
        """A run id, or the object id of any of its events."""
        from django.db.models import Q

        q = Q(pk__in=SyncEvent.unscoped.filter(object_id=term).values("run_id"))
        return q | Q(pk=int(term)) if term.isdigit() else q

    def has_add_permission(self, request):
        return False

    @admin.display(description="duration")
    def duration(self, run):
        return f"{run.duration.total_seconds():.1f} s" if run.duration else "–"

    @admin.display(description="result")
    def result(self, run):
        from .templatetags.connector_ui import summary

        text = summary(run.counts) + (" (dry run)" if run.dry_run else "")
        return text if len(text) <= 80 else text[:79] + "…"

    @admin.display(description="events")
    def events(self, run):
        url = reverse("admin:connector_syncevent_changelist") + f"?run__id__exact={run.pk}"
        shown = SyncEvent.unscoped.filter(run=run).order_by("id")[:EVENTS_SHOWN_ON_RUN]
        rows = format_html_join(
            "", "<tr><td>{}</td><td>{}</td><td>{} {}</td><td>{}</td></tr>",
            ((e.created_at.strftime("%H:%M:%S"), e.level, e.object_type, e.object_id, e.message) for e in shown),
        )
        return format_html('<a href="{}">All events of this run</a><table>{}</table>', url, rows)

    @admin.action(description="Retry (queue the same job, params and dry-run flag)")
    def retry(self, request, queryset):
        runs = list(queryset)
        for run in runs:
            run_retry(run=run)
        messages.info(request, f"Queued {len(runs)} retry run(s).")

    @admin.action(description="Run now (queue the job again for that tenant)")
    def run_now(self, request, queryset):
        pairs = {(run.tenant_id, run.job) for run in queryset}
        for tenant_id, job in pairs:
            run_enqueue(tenant_id=tenant_id, job=job, trigger="manual")
        messages.info(request, f"Queued {len(pairs)} run(s).")


@admin.register(SyncEvent)
class SyncEventAdmin(ExactSearchMixin, UnscopedAdmin):
    list_display = ["id", "created_at", "tenant", "job", "run_link", "level", "object_type", "object_id", "message"]
    list_filter = ["level", JobFilter, ("created_at", admin.DateFieldListFilter), "tenant"]
    exact_search_fields = ["object_id"]
    ordering = ["-created_at", "-id"]
    readonly_fields = [f.name for f in SyncEvent._meta.fields]
    search_help_text = "Exact object id (order, item, sale …) or event id"

    @admin.display(description="run")
    def run_link(self, event):
        url = reverse("admin:connector_syncrun_change", args=[event.run_id])
        return format_html('<a href="{}">#{}</a>', url, event.run_id)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):  # the log is the record support works from
        return False


class AttentionFilter(admin.SimpleListFilter):
    """Orders flagged for a person: a second completed sale, lines not on the sale, an unstorable order."""

    title = "needs attention"
    parameter_name = "attention"

    def lookups(self, request, model_admin):
        return [("yes", "Needs attention")]

    def queryset(self, request, queryset):
        return queryset.exclude(attention="") if self.value() == "yes" else queryset


@admin.register(OrderLedger)
class OrderLedgerAdmin(ExactSearchMixin, UnscopedAdmin):
    list_display = ["id", "tenant", "channel", "external_id", "state", "reference", "sale_id", "attempts", "last_error",
                    "attention", "updated_at"]
    list_filter = ["state", AttentionFilter, ChannelFilter, ("updated_at", admin.DateFieldListFilter), "tenant"]
    exact_search_fields = ["external_id", "sale_id", "reference"]
    search_help_text = "Exact channel order id, Lightspeed sale id or reference"
    ordering = ["-updated_at", "-id"]
    readonly_fields = ["created_at", "updated_at"]

    def has_add_permission(self, request):  # ledger rows are written by the imports only
        return False

    def has_delete_permission(self, request, obj=None):  # the row is what keeps the order from a second sale
        return False
