"""The owner's Sellercloud page: the switch, "Test connection", the seed's settings, the shops mapping with
"Re-download shops and warehouses", and the orders sent (thin: forms and services do the work)."""
from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from connector.channels import channel_get
from connector.dashboard import channel_state
from connector.http import ApiError
from connector.web_access import is_owner, tenant_page

from .forms import SellercloudCredentialsForm, SellercloudSettingsForm, ShopsMappingForm
from .selectors import CHANNEL, ledger_rows, warehouse_names
from .services import shops_and_warehouses_refresh

ORDERS_SHOWN = 20


def _page(request, *, credentials=None, settings_form=None, shops=None, status=200):
    credentials = credentials or SellercloudCredentialsForm(tenant=request.tenant)
    settings_form = settings_form or SellercloudSettingsForm(tenant=request.tenant)
    settings_form.fields.pop("enabled", None)  # switched with its schedules by the channel switch
    shops = shops or ShopsMappingForm(tenant=request.tenant)
    return render(request, "sellercloud/settings.html", {
        "credentials": credentials, "form": settings_form, "shops": shops, "settings": settings_form.settings,
        "warehouses": warehouse_names(settings_form.settings), "state": channel_state(channel_get(CHANNEL)),
        "can_change": is_owner(request), "orders": ledger_rows(request.tenant).order_by("-updated_at")[:ORDERS_SHOWN],
    }, status=status)


@tenant_page
def sellercloud_settings(request):
    if request.method == "POST":
        form = SellercloudSettingsForm(request.POST, tenant=request.tenant)
        form.fields.pop("enabled")
        if form.is_valid() and form.save_via_service():
            messages.success(request, "Sellercloud settings saved.")
            return redirect("sellercloud:settings")
        return _page(request, settings_form=form, status=400)
    return _page(request)


@tenant_page
@require_POST
def sellercloud_connection(request):
    form = SellercloudCredentialsForm(request.POST, tenant=request.tenant)
    if form.is_valid() and (company := form.save_via_service()):
        messages.success(request, f"Connected to Sellercloud: company {company.get('CompanyName')} "
                                  f"(#{company.get('ID')}). The login is saved.")
        return redirect("sellercloud:settings")
    return _page(request, credentials=form, status=400)


@tenant_page
@require_POST
def sellercloud_shops(request):
    form = ShopsMappingForm(request.POST, tenant=request.tenant)
    if form.is_valid() and form.save_via_service():
        messages.success(request, "Shops mapping saved.")
        return redirect("sellercloud:settings")
    return _page(request, shops=form, status=400)


@tenant_page
@require_POST
def sellercloud_refresh(request):
    try:
        settings = shops_and_warehouses_refresh(tenant=request.tenant)
    except ApiError as exc:
        messages.error(request, f"Could not download the warehouses from Sellercloud: {exc}")
        return redirect("sellercloud:settings")
    messages.success(request, f"Downloaded {len(settings.warehouses)} Sellercloud warehouses; the Lightspeed shops "
                              f"are being re-read and appear here in a moment.")
    return redirect("sellercloud:settings")
