"""Support staff's SameSystem pages: settings (never the password), departments, register numbers, the days
sent with SameSystem's answers, and historical imports."""
from django.contrib import admin

from connector.admin import UnscopedAdmin

from .models import SameSystemDay, SameSystemDepartment, SameSystemImport, SameSystemRegister, SameSystemSettings


@admin.register(SameSystemSettings)
class SameSystemSettingsAdmin(UnscopedAdmin):
    list_display = ["tenant", "enabled", "email", "vat_included", "auto_confirm", "checked_at", "updated_at"]
    list_filter = ["enabled", "auto_confirm"]
    exclude = ["password", "sftp_password", "csv_token"]  # secrets never shown; owners set them in their pages
    readonly_fields = ["checked_at", "updated_at"]


@admin.register(SameSystemDepartment)
class SameSystemDepartmentAdmin(UnscopedAdmin):
    list_display = ["name", "tenant", "ctx_token", "dpt_no", "register_count", "lightspeed_shop_ls_id", "seen"]
    search_fields = ["ctx_token", "name"]


@admin.register(SameSystemRegister)
class SameSystemRegisterAdmin(UnscopedAdmin):
    list_display = ["register_ls_id", "register_number", "tenant"]


@admin.register(SameSystemDay)
class SameSystemDayAdmin(UnscopedAdmin):
    list_display = ["day", "department", "register_number", "confirmed", "problem", "sent_at", "tenant"]
    list_filter = ["confirmed", ("day", admin.DateFieldListFilter)]
    readonly_fields = ["department", "register_number", "day", "values", "confirmed", "problem", "sent_at"]


@admin.register(SameSystemImport)
class SameSystemImportAdmin(UnscopedAdmin):
    list_display = ["id", "tenant", "date_from", "date_to", "state", "days_done", "days_total", "created_at"]
    list_filter = ["state"]
