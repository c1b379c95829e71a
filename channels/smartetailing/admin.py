"""Support staff's SmartEtailing pages: the order ledger with "retry this order", settings, locations."""
from django.contrib import admin

from connector.admin import ChannelOrderAdmin, UnscopedAdmin

from .models import SmartEtailingLocation, SmartEtailingOrder, SmartEtailingSettings
from .selectors import CHANNEL


@admin.register(SmartEtailingOrder)
class SmartEtailingOrderAdmin(ChannelOrderAdmin):
    channel = CHANNEL
    list_display = ["external_id", "tenant", "state", "reference", "sale_id", "waiting", "last_error", "updated_at"]
    exact_search_fields = ["external_id", "sale_id", "reference"]
    search_help_text = "Exact SmartEtailing OrderId, Lightspeed sale id or reference"
    fields = ["tenant", "external_id", "state", "reference", "sale_id", "customer_id", "attempts", "last_error",
              "details", "payload", "created_at", "updated_at", "events"]
    readonly_fields = fields

    @admin.display(description="waiting for")
    def waiting(self, order):
        return order.details.get("waiting", "")


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
