"""Support staff's view: runs, events, schedules and the order ledger, across tenants."""
from django.contrib import admin, messages

from .models import OrderLedger, Schedule, SyncEvent, SyncRun
from .runs import run_enqueue, run_retry
from .schedules import schedule_pause, schedule_resume


class UnscopedAdmin(admin.ModelAdmin):
    """Support staff see every tenant: admin reads through the explicit `unscoped` manager."""

    show_full_result_count = False

    def get_queryset(self, request):
        return self.model.unscoped.select_related("tenant")


@admin.register(Schedule)
class ScheduleAdmin(UnscopedAdmin):
    list_display = ["tenant", "job", "enabled", "paused_reason", "interval_seconds", "next_run_at", "consecutive_failures"]
    list_filter = ["job", "enabled"]
    search_fields = ["tenant__slug", "job"]
    actions = ["run_now", "pause", "resume"]

    @admin.action(description="Run now")
    def run_now(self, request, queryset):
        for schedule in queryset:
            run_enqueue(tenant_id=schedule.tenant_id, job=schedule.job, trigger="manual")
        messages.info(request, f"Queued {queryset.count()} run(s).")

    @admin.action(description="Pause")
    def pause(self, request, queryset):
        for schedule in queryset:
            schedule_pause(tenant=schedule.tenant, job=schedule.job, reason=f"paused by support ({request.user})")

    @admin.action(description="Resume")
    def resume(self, request, queryset):
        for schedule in queryset:
            schedule_resume(tenant=schedule.tenant, job=schedule.job)


class SyncEventInline(admin.TabularInline):
    model = SyncEvent
    fields = ["created_at", "level", "message", "object_type", "object_id", "data"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    max_num = 0
    show_change_link = True

    def get_queryset(self, request):
        return SyncEvent.unscoped.order_by("id")


@admin.register(SyncRun)
class SyncRunAdmin(UnscopedAdmin):
    list_display = ["id", "tenant", "job", "trigger", "status", "error_kind", "dry_run", "started_at", "finished_at", "counts"]
    list_filter = ["status", "job", "trigger", "error_kind", ("started_at", admin.DateFieldListFilter), "tenant"]
    search_fields = ["=id", "tenant__slug", "job"]
    date_hierarchy = None
    readonly_fields = [f.name for f in SyncRun._meta.fields]
    inlines = [SyncEventInline]
    actions = ["retry"]

    def has_add_permission(self, request):
        return False

    @admin.action(description="Retry (queue the same job again)")
    def retry(self, request, queryset):
        for run in queryset:
            run_retry(run=run)
        messages.info(request, f"Queued {queryset.count()} retry run(s).")


@admin.register(SyncEvent)
class SyncEventAdmin(UnscopedAdmin):
    list_display = ["id", "created_at", "tenant", "run", "level", "object_type", "object_id", "message"]
    list_filter = ["level", ("created_at", admin.DateFieldListFilter), "object_type", "tenant"]
    search_fields = ["=object_id", "=run__id"]
    readonly_fields = [f.name for f in SyncEvent._meta.fields]
    raw_id_fields = ["run"]

    def has_add_permission(self, request):
        return False


@admin.register(OrderLedger)
class OrderLedgerAdmin(UnscopedAdmin):
    list_display = ["id", "tenant", "channel", "external_id", "state", "reference", "sale_id", "attempts", "updated_at"]
    list_filter = ["channel", "state", "tenant"]
    search_fields = ["=external_id", "=sale_id", "reference"]
    readonly_fields = ["created_at", "updated_at"]
