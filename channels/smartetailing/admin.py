"""Support staff's SmartEtailing pages: the order ledger with "retry this order", settings, locations."""
from django.contrib import admin, messages
from django.utils.html import format_html_join

from connector.admin import ExactSearchMixin, UnscopedAdmin
from connector.models import SyncEvent

from .models import SmartEtailingLocation, SmartEtailingOrder, SmartEtailingSettings
from .selectors import CHANNEL, OBJECT
from .services import smartetailing_order_retry

EVENTS_SHOWN = 100


@admin.register(SmartEtailingOrder)
class SmartEtailingOrderAdmin(ExactSearchMixin, UnscopedAdmin):
    list_display = ["external_id", "tenant", "state", "reference", "sale_id", "waiting", "last_error", "updated_at"]
    list_filter = ["state", ("updated_at", admin.DateFieldListFilter), "tenant"]
    exact_search_fields = ["external_id", "sale_id", "reference"]
    search_help_text = "Exact SmartEtailing OrderId, Lightspeed sale id or reference"
    ordering = ["-updated_at", "-id"]
    fields = ["tenant", "external_id", "state", "reference", "sale_id", "customer_id", "attempts", "last_error",
              "details", "payload", "created_at", "updated_at", "events"]
    readonly_fields = fields
    actions = ["retry"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(channel=CHANNEL)

    def has_add_permission(self, request):
        return False

    @admin.display(description="waiting for")
    def waiting(self, order):
        return order.details.get("waiting", "")

    @admin.display(description="events")
    def events(self, order):
        rows = (SyncEvent.unscoped.filter(tenant_id=order.tenant_id, object_id=order.external_id, object_type=OBJECT)
                .order_by("-id")[:EVENTS_SHOWN])
        return format_html_join("\n", "<div>{} · {} · {}</div>",
                                ((e.created_at.strftime("%Y-%m-%d %H:%M:%S"), e.level, e.message) for e in rows))

    @admin.action(description="Retry this order")
    def retry(self, request, queryset):
        jobs = [smartetailing_order_retry(order=order) for order in queryset]
        messages.info(request, f"Queued {len(jobs)} order retry run(s).")


@admin.register(SmartEtailingSettings)
class SmartEtailingSettingsAdmin(UnscopedAdmin):
    list_display = ["tenant", "enabled", "merchant_id", "ftp_account", "pos_pricing", "export_orders", "updated_at"]
    list_filter = ["enabled", "pos_pricing", "export_orders"]
    exclude = ["url_key", "ftp_password"]  # secrets never shown; owners set them in their pages
    readonly_fields = ["updated_at"]


@admin.register(SmartEtailingLocation)
class SmartEtailingLocationAdmin(UnscopedAdmin):
    list_display = ["neighborhood_descriptor", "tenant", "lightspeed_shop_ls_id", "last_file_name", "last_rows",
                    "last_uploaded_at"]
    readonly_fields = ["last_checksum", "last_file_name", "last_rows", "last_uploaded_at"]
