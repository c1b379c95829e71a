"""The owner's Miinto page (switch on/off, settings, feed URL with copy and rotate, run now), and the feed
URLs Miinto fetches (no session; the token is the secret):

    /channels/miinto/feed/<token>.tsv                   stock of the feed's shop
    /channels/miinto/feed/<token>/<miinto shop id>.tsv  stock of the Lightspeed shop that Miinto shop is mapped to
"""
import base64
import binascii
import hmac

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.dateparse import parse_datetime
from django.utils.http import http_date
from django.views.decorators.http import require_POST, require_safe

from connector.channels import channel_get
from connector.dashboard import channel_state
from connector.encoding import accepts_gzip
from connector.web_access import is_owner, tenant_page
from lightspeed.selectors import pos_booking_labels

from .demo import sandbox_channel, sandbox_offered
from .feed import (feed_freshness, feed_gzip, feed_miinto_shop_ls_id, feed_path, feed_path_hint, feed_render_tsv,
                   feed_rows)
from .feed_fetch import USER_AGENT as FEED_CHECK_AGENT
from .feed_file import feed_file_current, feed_file_open
from .forms import MiintoSettingsForm
from .models import MiintoSettings, MiintoShop, feed_token_digest
from .selectors import CHANNEL, feed_last_fetch, miinto_identity_shared_warning
from .services import feed_fetch_note, feed_publish_request, miinto_feed_rotate_token, miinto_use_sandbox


@tenant_page
def miinto_settings(request):
    form = MiintoSettingsForm(request.POST or None, tenant=request.tenant)
    form.fields.pop("enabled")  # switched on and off with its schedules by the channel switch above the form
    if request.method == "POST" and form.save_via_service():
        messages.success(request, "Miinto settings saved.")
        if warning := miinto_identity_shared_warning(tenant=request.tenant):
            messages.warning(request, warning)
        return redirect("miinto:settings")
    feed_url = feed_address(request, form.settings)
    return render(request, "miinto/settings.html", {
        "form": form, "settings": form.settings, "feed_url": feed_url,
        "shop_feeds": shop_feed_urls(request, form.settings), "last_fetch": last_fetch(request.tenant),
        "state": channel_state(channel_get(CHANNEL)), "can_change": is_owner(request),
        "booking": pos_booking_labels(tenant=request.tenant, channel=CHANNEL),
        "feed_file": feed_file_current(tenant=request.tenant, settings=form.settings),
        "sandbox": sandbox_channel() if sandbox_offered() else None,
    }, status=400 if form.errors else 200)


def feed_address(request, settings, miinto_shop_id=None):
    """The feed's full address for owners; members (read only) see it with the secret cut to a hint."""
    path = feed_path(settings=settings, miinto_shop_id=miinto_shop_id)
    return request.build_absolute_uri(path if is_owner(request) else feed_path_hint(path, settings.feed_token))


def shop_feed_urls(request, settings):
    """One feed per Miinto shop, with the stock of the Lightspeed shop it is mapped to."""
    return [(shop, feed_address(request, settings, shop.shop_id))
            for shop in MiintoShop.objects.order_by("country", "shop_id")]


def last_fetch(tenant):
    fetch = feed_last_fetch(tenant=tenant)
    return {**fetch, "at": parse_datetime(fetch["at"])} if fetch and fetch.get("at") else None


@tenant_page
@require_POST
def miinto_use_sandbox_view(request):
    """Demo only: fill in the Miinto sandbox's demo channel (credentials and shops)."""
    try:
        miinto_use_sandbox(tenant=request.tenant)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, f"Could not use the sandbox's demo channel: {message}")
    else:
        messages.success(request, "The sandbox's demo channel is set: credentials checked and its shops mapped. "
                                  "Switch Miinto on when you are ready.")
    return redirect("miinto:settings")


@tenant_page
@require_POST
def miinto_feed_rotate(request):
    miinto_feed_rotate_token(tenant=request.tenant)
    messages.success(request, "The feed has a new address; the old one stopped working. Give Miinto the new one.")
    return redirect("miinto:settings")


REALM = 'Basic realm="Miinto feed", charset="UTF-8"'


def _settings_for_token(token):
    # Cross-tenant by design: the token is how Miinto names the tenant.
    digest = feed_token_digest(token)
    settings = MiintoSettings.unscoped.select_related("tenant").filter(feed_token_hash=digest).first()
    if settings is None or not hmac.compare_digest(settings.feed_token_hash, digest):
        raise Http404("No feed at this address (the link may have been replaced).")
    return settings


def _basic_auth_ok(request, settings):
    if not settings.feed_basic_user:
        return True
    scheme, _, encoded = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    if scheme.lower() != "basic":
        return False
    try:
        user, _, password = base64.b64decode(encoded.strip(), validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return False
    return hmac.compare_digest(user.encode(), settings.feed_basic_user.encode()) & hmac.compare_digest(
        password.encode(), (settings.feed_basic_password or "").encode()
    )


@require_safe
def feed_tsv(request, token, shop_id=None):
    # Public by design: the secret token in the URL is the credential (see channel.public_urls).
    """The whole catalog; with a Miinto shop id, with the stock of the Lightspeed shop that shop is mapped to."""
    settings = _settings_for_token(token)
    tenant = settings.tenant
    shop_ls_id = None
    if shop_id is not None and not (shop_ls_id := feed_miinto_shop_ls_id(tenant=tenant, miinto_shop_id=shop_id)):
        raise Http404("No Miinto shop with this id is mapped to a Lightspeed shop in the connector's settings.")
    gzip = accepts_gzip(request.META.get("HTTP_ACCEPT_ENCODING", ""))
    response = _feed_response(request, settings, tenant, gzip, shop_ls_id)
    user_agent = request.META.get("HTTP_USER_AGENT", "")
    if not user_agent.startswith(FEED_CHECK_AGENT):  # our own check is not Miinto's fetch
        feed_fetch_note(tenant=tenant, status=response.status_code, gzip=gzip, user_agent=user_agent)
    return response


def _feed_response(request, settings, tenant, gzip, shop_ls_id):
    if not _basic_auth_ok(request, settings):
        response = HttpResponse("This feed needs the user name and password set in the connector.\n", status=401,
                                content_type="text/plain; charset=utf-8")
        response["WWW-Authenticate"] = REALM
        return response
    file = feed_file_current(tenant=tenant, settings=settings, shop_ls_id=shop_ls_id)
    if file is None:  # no current file yet (first fetch, or settings just changed): stream it live this once
        feed_publish_request(tenant=tenant)
        etag, last_modified = feed_freshness(tenant=tenant, settings=settings, shop_ls_id=shop_ls_id)
    else:
        etag, last_modified = file.etag, file.last_modified
    etag = f'"{etag}{"-gz" if gzip else ""}"'
    not_modified = get_conditional_response(request, etag=etag, last_modified=int(last_modified.timestamp()))
    if not_modified is not None:
        patch_vary_headers(not_modified, ("Accept-Encoding",))
        return not_modified
    response = _feed_body(request, file, gzip, lambda: feed_rows(tenant=tenant, settings=settings,
                                                                 shop_ls_id=shop_ls_id))
    if gzip:
        response["Content-Encoding"] = "gzip"
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified.timestamp())
    response["Cache-Control"] = "private, no-cache"
    response["Content-Disposition"] = 'inline; filename="miinto-feed.tsv"'
    patch_vary_headers(response, ("Accept-Encoding",))
    return response


def _feed_body(request, file, gzip, rows):
    """The stored file (sendfile where the server has it), or the feed rendered as it streams."""
    content_type = "text/tab-separated-values; charset=utf-8"
    if file is not None:
        response = FileResponse(feed_file_open(file, gzip=gzip), content_type=content_type)
        response["Content-Length"] = str(file.gzip_size if gzip else file.size)
        if request.method == "HEAD":
            response.streaming_content = []
        return response
    body = feed_render_tsv(rows())
    if request.method == "HEAD":
        body = []
    elif gzip:
        body = feed_gzip(body)
    return StreamingHttpResponse(body, content_type=content_type)
