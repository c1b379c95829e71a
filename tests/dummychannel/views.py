import hmac

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from connector.channels import channel_get
from connector.dashboard import channel_state
from connector.web_access import is_owner, tenant_page

from .forms import DummySettingsForm
from .models import DummySettings
from .services import dummy_settings_get, dummy_settings_update


@tenant_page
def settings_page(request):
    settings = dummy_settings_get(tenant=request.tenant)
    form = DummySettingsForm(request.POST or None, initial={"account": settings.account})
    if request.method == "POST" and form.is_valid():
        dummy_settings_update(tenant=request.tenant, **form.cleaned_data)
        messages.success(request, "Dummy settings saved.")
        return redirect("dummy:settings")
    return render(request, "dummy/settings.html", {
        "form": form, "state": channel_state(channel_get("dummy")), "can_change": is_owner(request)})


@csrf_exempt
@require_POST
def webhook(request, token):
    settings = DummySettings.unscoped.filter(webhook_token=token).first()
    if settings is None or not hmac.compare_digest(settings.webhook_token, token):
        raise Http404("no such webhook")
    return HttpResponse("ok")
