from django.contrib import admin

from .models import Invite, Membership, Tenant


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Tenant)
class TenantAdmin(admin.ModelAdmin):
    list_display = ["slug", "name", "time_zone", "created_at"]
    search_fields = ["slug", "name"]
    inlines = [MembershipInline]


@admin.register(Invite)
class InviteAdmin(admin.ModelAdmin):
    """Support sees who was invited and what became of it; the link's digest is never shown."""

    list_display = ["email", "tenant", "role", "created_at", "expires_at", "accepted_at", "revoked_at"]
    list_filter = ["role"]
    search_fields = ["email", "tenant__slug"]
    exclude = ["digest"]
    readonly_fields = ["tenant", "email", "role", "invited_by", "created_at", "expires_at", "accepted_at",
                       "accepted_by", "revoked_at"]

    def get_queryset(self, request):
        return Invite.unscoped.select_related("tenant")  # support sees every tenant's

    def has_add_permission(self, request):
        return False  # invitations are made by owners, with a mailed link
