"""Owner pages for the Lightspeed connection: connect (OAuth round trip), health, disconnect, POS choices."""
import logging

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from connector.channels import channel_get
from connector.dashboard import channel_state
from connector.web_access import is_owner, tenant_page

from .models import Connection, Employee, Register, Shop
from .services import connection_authorize_url, connection_complete, connection_disconnect
from .web_forms import PosChoiceForm
from .web_selectors import connection_facts

log = logging.getLogger(__name__)


@tenant_page
def connection(request):
    facts = connection_facts(tenant=request.tenant)
    return render(request, "lightspeed/connection.html", {
        "status": facts["status"], "reason": facts["reason"], "connection": Connection.objects.first(),
        "counts": {"shops": Shop.objects.count(), "registers": Register.objects.count(),
                   "employees": Employee.objects.count()},
        "can_change": is_owner(request),
        "state": channel_state(channel_get("lightspeed")),
    })


@tenant_page
@require_POST
def connect(request):
    return redirect(connection_authorize_url(tenant=request.tenant, request=request))


@tenant_page
def callback(request):
    """Lightspeed sends the owner back here with ?code=&state= (or ?error= when access was refused)."""
    if request.GET.get("error"):
        messages.error(request, f"Lightspeed did not grant access ({request.GET['error']}). Try connecting again.")
        return redirect("lightspeed:connection")
    if not is_owner(request):
        messages.error(request, "Only the shop's owners can connect Lightspeed.")
        return redirect("lightspeed:connection")
    try:
        connection_complete(tenant=request.tenant, code=request.GET.get("code", ""),
                                     state=request.GET.get("state", ""))
    except Exception as exc:  # shown to the owner; the cause is logged for support
        log.warning("lightspeed connect failed for %s: %s", request.tenant.slug, exc)
        messages.error(request, f"Connecting Lightspeed failed: {exc} If it keeps failing, contact support.")
        return redirect("lightspeed:connection")
    messages.success(request, "Lightspeed is connected. Now choose your shop, register and employee.")
    return redirect("lightspeed:mappings")


@tenant_page
@require_POST
def disconnect(request):
    try:
        connection_disconnect(tenant=request.tenant)
    except Exception:  # the owner gets a clear message; support gets the traceback
        log.exception("lightspeed disconnect failed for %s", request.tenant.slug)
        messages.error(request, "Disconnecting Lightspeed failed. Try again; if it keeps failing, contact support.")
        return redirect("lightspeed:connection")
    messages.success(request, "Lightspeed is disconnected; syncs stop until you connect again.")
    return redirect("lightspeed:connection")


@tenant_page
def mappings(request):
    """The shop whose stock the channels sell, and the register and employee channel orders are booked on."""
    from channels.miinto.web_hooks import miinto_pos_choice_get, miinto_pos_choice_set

    form = PosChoiceForm(request.POST or None, tenant=request.tenant, initial=miinto_pos_choice_get(tenant=request.tenant))
    if request.method == "POST" and form.is_valid():
        try:
            miinto_pos_choice_set(tenant=request.tenant, **form.cleaned_data)
        except ValidationError as exc:
            _errors_onto_form(form, exc)
        else:
            messages.success(request, "Saved: channel orders go to this shop, register and employee.")
            return redirect("lightspeed:mappings")
    return render(request, "lightspeed/mappings.html", {
        "form": form, "can_change": is_owner(request),
        "shops": Shop.objects.filter(archived=False).order_by("name"),
        "registers": Register.objects.filter(archived=False).order_by("name"),
        "employees": Employee.objects.filter(archived=False).order_by("first_name", "last_name"),
    })


SERVICE_FIELDS = {"feed_shop_ls_id": "shop_ls_id"}  # settings field -> this form's field


def _errors_onto_form(form, exc):
    mapping = getattr(exc, "message_dict", None) or {None: exc.messages}
    for field, errors in mapping.items():
        field = SERVICE_FIELDS.get(field, field)
        for error in errors:
            form.add_error(field if field in form.fields else None, error)
