"""Support staff's Sellercloud pages: the order ledger with "retry this order", settings, shops and product links."""
from django.contrib import admin

from connector.admin import ChannelOrderAdmin, ExactSearchMixin, UnscopedAdmin

from .models import SellercloudOrder, SellercloudProduct, SellercloudSettings, SellercloudShop
from .selectors import CHANNEL


@admin.register(SellercloudOrder)
class SellercloudOrderAdmin(ChannelOrderAdmin):
    channel = CHANNEL
    list_display = ["external_id", "tenant", "state", "sellercloud_order", "attempts", "last_error", "updated_at"]
    exact_search_fields = ["external_id", "sale_id"]
    search_help_text = "Exact Lightspeed sale id"
    fields = ["tenant", "external_id", "state", "sale_id", "sellercloud_order", "attempts", "last_error", "details",
              "payload", "created_at", "updated_at", "events"]
    readonly_fields = fields

    @admin.display(description="Sellercloud order id")
    def sellercloud_order(self, order):
        return order.details.get("order_id") or ""


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
