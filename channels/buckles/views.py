"""The owner's Buckles page (switch, settings, status table, shops, webhook URL, recent events and orders),
and the webhook endpoint Buckles posts to (no session: the signature is the credential):

    POST /channels/buckles/webhook/<token>/   one signed event; 200 at once, the work is queued on commit
"""
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from connector.channels import channel_get
from connector.clock import system_clock
from connector.dashboard import channel_state
from connector.web_access import is_owner, tenant_page

from .events import webhook_receive
from .forms import BucklesSettingsForm
from .selectors import CHANNEL, events_recent, orders_recent
from .services import buckles_settings_get_or_create, buckles_webhook_register, buckles_webhook_rotate
from .statuses import BUCKLES_STATUSES, DEFAULT_STATUS_MAP, LIGHTSPEED_STATES

webhook_clock = system_clock  # tests swap in their clock


@tenant_page
def buckles_settings(request):
    form = BucklesSettingsForm(request.POST or None, tenant=request.tenant)
    form.fields.pop("enabled")  # switched on and off with its schedules by the channel switch above the form
    if request.method == "POST" and form.is_valid() and form.save_via_service():
        messages.success(request, "Buckles settings saved.")
        return redirect("buckles:settings")
    webhook_url = request.build_absolute_uri(reverse("buckles:webhook", args=[form.settings.webhook_token]))
    defaults = [(LIGHTSPEED_STATES[s], BUCKLES_STATUSES[DEFAULT_STATUS_MAP[s]]) for s in LIGHTSPEED_STATES]
    return render(request, "buckles/settings.html", {
        "form": form, "settings": form.settings, "webhook_url": webhook_url, "defaults": defaults,
        "events": events_recent(request.tenant, 20), "orders": orders_recent(request.tenant, 20),
        "state": channel_state(channel_get(CHANNEL)), "can_change": is_owner(request),
    }, status=400 if form.errors else 200)


@tenant_page
@require_POST
def buckles_webhook_rotate_view(request):
    buckles_webhook_rotate(tenant=request.tenant)
    messages.success(request, "The webhook has a new address; the old one stopped working. Give Buckles the new one.")
    return redirect("buckles:settings")


@tenant_page
@require_POST
def buckles_webhook_register_view(request):
    settings = buckles_settings_get_or_create(tenant=request.tenant)
    url = request.build_absolute_uri(reverse("buckles:webhook", args=[settings.webhook_token]))
    try:
        buckles_webhook_register(tenant=request.tenant, url=url)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Buckles now sends its events to this connector.")
    return redirect("buckles:settings")


@csrf_exempt
@require_POST
def webhook(request, token):
    # Public by design (see channel.public_urls): the HMAC signature over timestamp and body is the credential.
    answer = webhook_receive(token=token, headers=request.headers, body=request.body, now=webhook_clock.time())
    return JsonResponse(answer.body, status=answer.status)
