"""Small security helpers shared by views, settings and the log setup.

- `client_ip`: the address login limits count (behind TRUSTED_PROXY_COUNT proxies, from X-Forwarded-For).
- `login_locked_out`: the answer to a sign-in while its account or address is locked.
- `safe_next`: a `next=` redirect target only when it stays on this site.
"""
from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

LOCKED_OUT_MESSAGE = ("Too many failed sign-ins for this account or from your network. "
                      "Wait {minutes} minutes and try again, or reset your password.")


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
