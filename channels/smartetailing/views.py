"""The owner's SmartEtailing page: the switch, credentials with "Test connection", the store mapping with
a preview of how many items each location gets, import settings, POS pricing and order export."""
from itertools import islice

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from connector.channels import channel_get
from connector.dashboard import channel_state
from connector.web_access import is_owner, tenant_page
from lightspeed.selectors import connection_approver_role, pos_booking_labels

from .forms import SmartEtailingSettingsForm
from .inventory import inventory_count
from .models import SmartEtailingLocation
from .report import pending_mappings, pending_mappings_csv
from .selectors import CHANNEL, ledger_rows
from .services import smartetailing_connection_test, smartetailing_settings_get_or_create

CONNECTION_FIELDS = ("order_service_url", "merchant_id", "url_key", "ftp_host", "ftp_account", "ftp_password")


@tenant_page
def smartetailing_settings(request):
    form = SmartEtailingSettingsForm(request.POST or None, tenant=request.tenant)
    form.fields.pop("enabled")  # switched on and off with its schedules by the channel switch above the form
    action = request.POST.get("action", "save")
    checks, preview_filters = None, None
    if request.method == "POST" and form.is_valid():
        if action == "test":
            checks = smartetailing_connection_test(tenant=request.tenant,
                                                   **{k: form.cleaned_data.get(k) for k in CONNECTION_FIELDS})
        elif action == "preview":
            preview_filters = form.filters()
        elif form.save_via_service():
            messages.success(request, "SmartEtailing settings saved.")
            return redirect("smartetailing:settings")
    return render(request, "smartetailing/settings.html", {
        "form": form, "settings": form.settings, "checks": checks,
        "counts": _counts(request.tenant, form, preview_filters), "previewing": preview_filters is not None,
        "state": channel_state(channel_get(CHANNEL)), "can_change": is_owner(request),
        "booking": pos_booking_labels(tenant=request.tenant, channel=CHANNEL),
        "approver": connection_approver_role(request.tenant),
        "locations": SmartEtailingLocation.objects.order_by("neighborhood_descriptor"),
        "recent_orders": ledger_rows(request.tenant).order_by("-updated_at")[:10],
    }, status=400 if form.errors else 200)


def _counts(tenant, form, filters):
    """{shop ls_id: items that pass the import settings}: the entered ones when previewing, else the saved."""
    config = filters or form.settings
    return {shop.ls_id: inventory_count(tenant=tenant, config=config, shop_ls_id=shop.ls_id) for shop in form.shops}


PAGE_ROWS = 500


@tenant_page
@require_safe
def pending_mappings_page(request):
    config = smartetailing_settings_get_or_create(tenant=request.tenant)
    rows = list(islice(pending_mappings(tenant=request.tenant, config=config), PAGE_ROWS + 1))
    return render(request, "smartetailing/pending_mappings.html", {
        "rows": rows[:PAGE_ROWS], "more": len(rows) > PAGE_ROWS, "page_rows": PAGE_ROWS})


@tenant_page
@require_safe
def pending_mappings_download(request):
    config = smartetailing_settings_get_or_create(tenant=request.tenant)
    body = "".join(pending_mappings_csv(pending_mappings(tenant=request.tenant, config=config)))
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="smartetailing-pending-mappings.csv"'
    return response
