"""Support staff's Sellercloud pages: the order ledger with "retry this order", settings, shops and product links."""
from django.contrib import admin, messages
from django.utils.html import format_html_join

from connector.admin import ExactSearchMixin, UnscopedAdmin
from connector.models import SyncEvent

from .models import SellercloudOrder, SellercloudProduct, SellercloudSettings, SellercloudShop
from .selectors import CHANNEL, OBJECT
from .services import sellercloud_order_retry

EVENTS_SHOWN = 100


@admin.register(SellercloudOrder)
class SellercloudOrderAdmin(ExactSearchMixin, UnscopedAdmin):
    list_display = ["external_id", "tenant", "state", "sellercloud_order", "attempts", "last_error", "updated_at"]
    list_filter = ["state", ("updated_at", admin.DateFieldListFilter), "tenant"]
    exact_search_fields = ["external_id", "sale_id"]
    search_help_text = "Exact Lightspeed sale id"
    ordering = ["-updated_at", "-id"]
    fields = ["tenant", "external_id", "state", "sale_id", "sellercloud_order", "attempts", "last_error", "details",
              "payload", "created_at", "updated_at", "events"]
    readonly_fields = fields
    actions = ["retry"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(channel=CHANNEL)

    def has_add_permission(self, request):
        return False

    @admin.display(description="Sellercloud order id")
    def sellercloud_order(self, order):
        return order.details.get("order_id") or ""

    @admin.display(description="events")
    def events(self, order):
        rows = (SyncEvent.unscoped.filter(tenant_id=order.tenant_id, object_id=order.external_id, object_type=OBJECT)
                .order_by("-id")[:EVENTS_SHOWN])
        return format_html_join("\n", "<div>{} · {} · {}</div>",
                                ((e.created_at.strftime("%Y-%m-%d %H:%M:%S"), e.level, e.message) for e in rows))

    @admin.action(description="Retry this order")
    def retry(self, request, queryset):
        jobs = [sellercloud_order_retry(order=order) for order in queryset]
        messages.info(request, f"Queued {len(jobs)} order retry run(s).")


@admin.register(SellercloudSettings)
class SellercloudSettingsAdmin(UnscopedAdmin):
    list_display = ["tenant", "enabled", "server", "username", "company_id", "order_download", "inventory_upload",
                    "updated_at"]
    list_filter = ["enabled"]
    exclude = ["password"]  # never shown; owners set it on their page
    readonly_fields = ["updated_at"]


@admin.register(SellercloudShop)
class SellercloudShopAdmin(UnscopedAdmin):
    list_display = ["shop_ls_id", "tenant", "warehouse_ids", "employee_ls_id", "register_ls_id"]


@admin.register(SellercloudProduct)
class SellercloudProductAdmin(ExactSearchMixin, UnscopedAdmin):
    list_display = ["sku", "tenant", "item_ls_id", "link", "lightspeed_enabled", "price", "cost", "sc_modified"]
    list_filter = ["link", "lightspeed_enabled"]
    exact_search_fields = ["sku", "upc", "ean"]
    search_help_text = "Exact SKU, UPC or EAN"
    readonly_fields = ["updated_at"]
