"""Support staff's Buckles pages: settings (no secrets), shops, the events (with "apply again"), orders sent."""
from django.contrib import admin, messages

from connector.admin import ExactSearchMixin, UnscopedAdmin

from .events import apply_enqueue
from .models import BucklesEvent, BucklesLink, BucklesOrder, BucklesSettings, BucklesShop, BucklesStock


@admin.register(BucklesSettings)
class BucklesSettingsAdmin(UnscopedAdmin):
    list_display = ["tenant", "enabled", "account", "source", "currency", "updated_at"]
    list_filter = ["enabled"]
    exclude = ["api_token", "webhook_secret", "webhook_token"]  # secrets never shown; owners set them
    readonly_fields = ["updated_at"]


@admin.register(BucklesShop)
class BucklesShopAdmin(UnscopedAdmin):
    list_display = ["tenant", "lightspeed_shop_ls_id", "location"]


@admin.register(BucklesEvent)
class BucklesEventAdmin(ExactSearchMixin, UnscopedAdmin):
    list_display = ["delivery_id", "tenant", "event_type", "state", "via", "occurred_at", "received_at", "attempts",
                    "last_error"]
    list_filter = ["state", "event_type", "via", "tenant"]
    exact_search_fields = ["delivery_id"]
    search_help_text = "Exact delivery (event) id"
    ordering = ["-received_at", "-id"]
    readonly_fields = [f.name for f in BucklesEvent._meta.fields]
    actions = ["apply_again"]

    def has_add_permission(self, request):
        return False

    @admin.action(description="Apply again")
    def apply_again(self, request, queryset):
        rows = list(queryset.exclude(state=BucklesEvent.State.DONE))
        for event in rows:
            BucklesEvent.unscoped.filter(pk=event.pk).update(state=BucklesEvent.State.PENDING, last_error="")
        for tenant in {event.tenant for event in rows}:
            apply_enqueue(tenant)
        messages.info(request, f"{len(rows)} event(s) queued to apply again (applied ones are left alone).")


@admin.register(BucklesOrder)
class BucklesOrderAdmin(ExactSearchMixin, UnscopedAdmin):
    list_display = ["sale_ls_id", "tenant", "status", "pushes", "shipment_sent", "sent_at", "last_error"]
    list_filter = ["status", "shipment_sent", "tenant"]
    exact_search_fields = ["buckles_id"]
    search_help_text = "Exact Buckles order id"
    readonly_fields = [f.name for f in BucklesOrder._meta.fields]


@admin.register(BucklesLink)
class BucklesLinkAdmin(ExactSearchMixin, UnscopedAdmin):
    list_display = ["kind", "ls_id", "key", "buckles_id", "linked_existing", "tenant", "updated_at"]
    list_filter = ["kind", "linked_existing"]
    exact_search_fields = ["key", "buckles_id"]


@admin.register(BucklesStock)
class BucklesStockAdmin(UnscopedAdmin):
    list_display = ["item_ls_id", "shop_ls_id", "known_qoh", "sent_qoh", "written_qoh", "buckles_at", "tenant"]
