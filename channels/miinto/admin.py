"""Support staff's Miinto pages: the order ledger with Miinto specifics and "retry this order", settings, shops."""
from django.contrib import admin, messages
from django.utils.html import format_html_join

from connector.admin import ExactSearchMixin, UnscopedAdmin
from connector.models import SyncEvent

from .models import MiintoOrder, MiintoSettings, MiintoShop
from .selectors import CHANNEL, OBJECT
from .services import miinto_order_retry

EVENTS_SHOWN = 100


@admin.register(MiintoOrder)
class MiintoOrderAdmin(ExactSearchMixin, UnscopedAdmin):
    list_display = ["external_id", "tenant", "state", "miinto_shop", "reference", "sale_id", "miinto_order",
                    "tracking", "last_error", "updated_at"]
    list_filter = ["state", ("updated_at", admin.DateFieldListFilter), "tenant"]
    exact_search_fields = ["external_id", "sale_id", "reference"]
    search_help_text = "Exact Miinto order (transfer) id, Lightspeed sale id or reference"
    ordering = ["-updated_at", "-id"]
    fields = ["tenant", "external_id", "state", "reference", "sale_id", "customer_id", "miinto_shop", "miinto_order",
              "tracking", "attempts", "last_error", "details", "payload", "created_at", "updated_at", "events"]
    readonly_fields = fields
    actions = ["retry"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(channel=CHANNEL)

    def has_add_permission(self, request):
        return False

    @admin.display(description="Miinto shop")
    def miinto_shop(self, order):
        return order.details.get("shop_id", "")

    @admin.display(description="Miinto order id (accepted)")
    def miinto_order(self, order):
        return order.details.get("miinto_order_id") or ""

    @admin.display(description="tracking sent")
    def tracking(self, order):
        return order.details.get("tracking_sent") or ""

    @admin.display(description="events")
    def events(self, order):
        rows = (SyncEvent.unscoped.filter(tenant_id=order.tenant_id, object_id=order.external_id, object_type=OBJECT)
                .order_by("-id")[:EVENTS_SHOWN])
        return format_html_join("\n", "<div>{} · {} · {}</div>",
                                ((e.created_at.strftime("%Y-%m-%d %H:%M:%S"), e.level, e.message) for e in rows))

    @admin.action(description="Retry this order")
    def retry(self, request, queryset):
        jobs = [miinto_order_retry(order=order) for order in queryset]
        messages.info(request, f"Queued {len(jobs)} order retry run(s).")


@admin.register(MiintoSettings)
class MiintoSettingsAdmin(UnscopedAdmin):
    list_display = ["tenant", "enabled", "identifier", "order_prefix", "unfulfillable_policy", "void_policy",
                    "updated_at"]
    list_filter = ["enabled"]
    # secrets never shown; owners set them in their pages
    exclude = ["secret", "feed_basic_password", "feed_token_hash", "feed_token_secret"]
    readonly_fields = ["updated_at"]


@admin.register(MiintoShop)
class MiintoShopAdmin(UnscopedAdmin):
    list_display = ["shop_id", "tenant", "country", "lightspeed_shop_ls_id"]
    list_filter = ["country"]
