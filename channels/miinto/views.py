"""The owner's Miinto page: switch on/off, settings, feed URL with copy and rotate, run now."""
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from connector.channels import channel_get
from connector.dashboard import channel_state
from connector.web_access import is_owner, tenant_page

from .models import MiintoShop
from .web_forms import MiintoSettingsForm


def _settings_services():
    from . import settings_services

    return settings_services


def _feed_url(request, settings):
    try:
        return request.build_absolute_uri(reverse("miinto:feed", args=[settings.feed_token]))
    except Exception:  # the feed endpoint has not landed yet
        return ""


@tenant_page
def miinto_settings(request):
    services = _settings_services()
    settings = services.miinto_settings_get_or_create(tenant=request.tenant)
    shops = MiintoShop.objects.order_by("shop_id")
    form = MiintoSettingsForm(request.POST or None, tenant=request.tenant,
                              initial=MiintoSettingsForm.initial_from(settings, shops))
    if request.method == "POST" and form.is_valid():
        try:
            services.miinto_settings_update(tenant=request.tenant, **form.service_kwargs())
        except ValidationError as exc:
            _errors_onto_form(form, exc)
        else:
            messages.success(request, "Miinto settings saved.")
            return redirect("miinto:settings")
    status = 400 if form.errors else 200
    return render(request, "miinto/settings.html", {
        "form": form, "settings": settings, "feed_url": _feed_url(request, settings),
        "state": channel_state(channel_get("miinto")), "can_change": is_owner(request),
    }, status=status)


@tenant_page
@require_POST
def miinto_feed_rotate(request):
    _settings_services().miinto_feed_rotate_token(tenant=request.tenant)
    messages.success(request, "The feed has a new address; the old one stopped working. Give Miinto the new one.")
    return redirect("miinto:settings")


def _errors_onto_form(form, exc):
    mapping = getattr(exc, "message_dict", None) or {None: exc.messages}
    for field, errors in mapping.items():
        for error in errors:
            form.add_error(field if field in form.fields else None, error)
