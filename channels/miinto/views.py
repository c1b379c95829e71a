"""The owner's Miinto page: switch on/off, settings, feed URL with copy and rotate, run now."""
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.dateparse import parse_datetime
from django.views.decorators.http import require_POST

from connector.channels import channel_get
from connector.dashboard import channel_state
from connector.web_access import is_owner, tenant_page

from .feed import feed_path
from .feed_fetches import feed_last_fetch
from .forms import MiintoSettingsForm
from .models import MiintoShop
from .settings_services import miinto_feed_rotate_token


@tenant_page
def miinto_settings(request):
    form = MiintoSettingsForm(request.POST or None, tenant=request.tenant)
    form.fields.pop("enabled")  # switched on and off with its schedules by the channel switch above the form
    if request.method == "POST" and form.is_valid() and form.save_via_service():
        messages.success(request, "Miinto settings saved.")
        return redirect("miinto_settings")
    feed_url = request.build_absolute_uri(feed_path(settings=form.settings))
    return render(request, "miinto/settings.html", {
        "form": form, "settings": form.settings, "feed_url": feed_url,
        "shop_feeds": shop_feed_urls(request, form.settings), "last_fetch": last_fetch(request.tenant),
        "state": channel_state(channel_get("miinto")), "can_change": is_owner(request),
    }, status=400 if form.errors else 200)


def shop_feed_urls(request, settings):
    """One feed per Miinto shop, with the stock of the Lightspeed shop it is mapped to."""
    return [(shop, request.build_absolute_uri(feed_path(settings=settings, miinto_shop_id=shop.shop_id)))
            for shop in MiintoShop.objects.order_by("country", "shop_id")]


def last_fetch(tenant):
    fetch = feed_last_fetch(tenant=tenant)
    return {**fetch, "at": parse_datetime(fetch["at"])} if fetch and fetch.get("at") else None


@tenant_page
@require_POST
def miinto_feed_rotate(request):
    miinto_feed_rotate_token(tenant=request.tenant)
    messages.success(request, "The feed has a new address; the old one stopped working. Give Miinto the new one.")
    return redirect("miinto_settings")
