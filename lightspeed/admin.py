"""Support staff's view of each tenant's Lightspeed connection: status, account, token expiry, the pending
authorization's age. Tokens are never shown; connecting is the owner's job (their Lightspeed page)."""
from django.contrib import admin

from connector.admin import UnscopedAdmin

from .models import Connection

SECRET_FIELDS = {"access_token", "refresh_token", "oauth_code_verifier", "oauth_state"}


@admin.register(Connection)
class ConnectionAdmin(UnscopedAdmin):
    list_display = ["tenant", "status", "account_id", "account_name", "expires_at", "connected_at", "updated_at"]
    list_filter = ["status"]
    search_fields = ["tenant__slug", "account_id", "account_name"]
    ordering = ["tenant__slug"]
    fields = [f.name for f in Connection._meta.fields if f.name not in SECRET_FIELDS | {"id"}]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
