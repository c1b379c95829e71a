"""Small security helpers shared by views, settings and the log setup.

- `client_ip`: the address login limits count (behind TRUSTED_PROXY_COUNT proxies, from X-Forwarded-For).
- `login_locked_out`: the answer to a sign-in while its account or address is locked.
- `safe_next`: a `next=` redirect target only when it stays on this site.
"""
from datetime import timezone as dt_timezone

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.http import url_has_allowed_host_and_scheme

LOCKED_OUT_MESSAGE = ("Too many failed sign-ins for this account or from your network. "
                      "Wait {minutes} minutes and try again, or reset your password.")


class LoginLimitBackend(AxesStandaloneBackend):
    """django-axes' check on every sign-in that comes with a request (the web, the admin, the API).
    Without one (a management command, the test client's login) nothing can be counted, so it steps aside."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def client_ip(request):
    """The client's address: REMOTE_ADDR, or, behind N trusted proxies, the Nth address from the right
    of X-Forwarded-For (anything further left is written by the client and not to be trusted)."""
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
    if proxies and len(forwarded) >= proxies:
        return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR") or "0.0.0.0"


def login_locked_out(request, original_response=None, credentials=None):
    """429 with a message the user can act on: JSON for the API, the sign-in page for the web."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    message = LOCKED_OUT_MESSAGE.format(minutes=minutes)
    response_headers = {"Retry-After": str(int(settings.AXES_COOLOFF_TIME.total_seconds()))}
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": message}, status=429)
    else:
        response = render(request, "registration/locked_out.html", {"message": message}, status=429)
    for name, value in response_headers.items():
        response[name] = value
    return response


def safe_next(request, default):
    """Where to go after a POST: the `next` field when it is on this host, else `default` (a URL name)."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return redirect(target)
    return redirect(default)


def datetime_parse(text):
    """An ISO 8601 date-time as an aware UTC datetime, or None for anything else (bad, or out of range:
    `0001-01-01T00:00:00+14:00` is before year 1 in UTC and would raise OverflowError)."""
    try:
        value = parse_datetime(text or "")
        if value is None:
            return None
        if timezone.is_naive(value):
            value = timezone.make_aware(value, dt_timezone.utc)
        return value.astimezone(dt_timezone.utc)
    except (ValueError, OverflowError):
        return None
