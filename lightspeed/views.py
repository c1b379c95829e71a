"""Owner pages for the Lightspeed connection: connect (OAuth round trip), health, disconnect, POS choices."""
import logging

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from connector.channels import channel_find, channel_get, channels_selling
from connector.dashboard import channel_state
from connector.web_access import is_owner, tenant_page

from .models import Connection
from .selectors import POS_FIELDS, pos_booking_labels, pos_choice_rows
from .services import (connection_authorize_url, connection_complete, connection_disconnect, pos_choice_clear,
                       pos_choice_set)
from .web_forms import PosChoiceForm
from .web_selectors import account_shared_warning, connection_facts, mirror_lists

log = logging.getLogger(__name__)
REFERENCE_JOB = "lightspeed.reference_sync"  # shops, registers, employees: what the mappings page lists


@tenant_page
def connection(request):
    facts = connection_facts(tenant=request.tenant)
    return render(request, "lightspeed/connection.html", {
        "status": facts["status"], "reason": facts["reason"], "connection": Connection.objects.first(),
        "counts": {name: len(rows) for name, rows in mirror_lists(tenant=request.tenant).items()},
        "can_change": is_owner(request),
        "state": channel_state(channel_get("lightspeed")),
        "booking": pos_booking_labels(tenant=request.tenant),
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
    if warning := account_shared_warning(tenant=request.tenant):
        messages.warning(request, warning)
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
    """The default shop, register and employee channel orders are booked on, and each channel's override."""
    channel = _override_channel(request)
    if request.method == "POST" and request.POST.get("clear") and channel:
        pos_choice_clear(tenant=request.tenant, channel=channel.key)
        messages.success(request, f"{channel.title} books on the default shop, register and employee again.")
        return redirect("lightspeed:mappings")
    forms = _pos_forms(request, channel)
    posted = forms.get(channel.key if channel else "") if request.method == "POST" else None
    if posted is not None and posted.is_valid():
        try:
            pos_choice_set(tenant=request.tenant, channel=channel.key if channel else "", **posted.cleaned_data)
        except ValidationError as exc:
            _errors_onto_form(posted, exc)
        else:
            messages.success(request, f"Saved: {channel.title if channel else 'channel'} orders go to this shop, "
                                      f"register and employee.")
            return redirect("lightspeed:mappings")
    return render(request, "lightspeed/mappings.html", {
        "form": forms[""], "overrides": [(c, forms[c.key]) for c in channels_selling()],
        "can_change": is_owner(request), **mirror_lists(tenant=request.tenant),
        "connected": Connection.objects.filter(status=Connection.Status.CONNECTED).exists(),
        "reference_job": REFERENCE_JOB,
    }, status=400 if posted is not None and posted.errors else 200)


def _override_channel(request):
    key = request.POST.get("channel") or request.GET.get("channel") or ""
    if not key:
        return None
    channel = channel_find(key)
    if channel is None or channel.is_source:
        raise Http404("No such channel.")
    return channel


def _pos_forms(request, channel):
    """One form for the default and one per channel; only the posted one is bound."""
    def build(key):
        default, override = pos_choice_rows(tenant=request.tenant, channel=key)
        row = override if key else default
        initial = {f: getattr(row, f) for f in POS_FIELDS} if row else {}
        bound = request.method == "POST" and key == (channel.key if channel else "")
        return PosChoiceForm(request.POST if bound else None, tenant=request.tenant, override=bool(key),
                             initial=initial, prefix=key or None)
    return {"": build(""), **{c.key: build(c.key) for c in channels_selling()}}


def _errors_onto_form(form, exc):
    mapping = getattr(exc, "message_dict", None) or {None: exc.messages}
    for field, errors in mapping.items():
        for error in errors:
            form.add_error(field if field in form.fields else None, error)
