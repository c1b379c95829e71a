"""Support staff's Miinto pages: the order ledger with Miinto specifics and "retry this order", settings, shops."""
from django.contrib import admin

from connector.admin import ChannelOrderAdmin, UnscopedAdmin

from .models import MiintoOrder, MiintoSettings, MiintoShop
from .selectors import CHANNEL


@admin.register(MiintoOrder)
class MiintoOrderAdmin(ChannelOrderAdmin):
    channel = CHANNEL
    list_display = ["external_id", "tenant", "state", "miinto_shop", "reference", "sale_id", "miinto_order",
                    "tracking", "last_error", "updated_at"]
    exact_search_fields = ["external_id", "sale_id", "reference"]
    search_help_text = "Exact Miinto order (transfer) id, Lightspeed sale id or reference"
    fields = ["tenant", "external_id", "state", "reference", "sale_id", "customer_id", "miinto_shop", "miinto_order",
              "tracking", "attempts", "last_error", "details", "payload", "created_at", "updated_at", "events"]
    readonly_fields = fields

    @admin.display(description="Miinto shop")
    def miinto_shop(self, order):
        return order.details.get("shop_id", "")

    @admin.display(description="Miinto order id (accepted)")
    def miinto_order(self, order):
        return order.details.get("miinto_order_id") or ""

    @admin.display(description="tracking sent")
    def tracking(self, order):
        return order.details.get("tracking_sent") or ""


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
