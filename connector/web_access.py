"""Access rules for the owner's pages: signed in, a member of a tenant, owners for every write.

Times render in the tenant's time zone. Objects are always looked up through the tenant-scoped
managers, so another tenant's id is simply not found (404).
"""
from functools import wraps
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone

from tenants.models import Membership

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def tenant_zone(tenant):
    try:
        return ZoneInfo(tenant.time_zone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def is_owner(request):
    return bool(request.membership and request.membership.role == Membership.Role.OWNER)


def tenant_page(view=None, *, members_may_post=False):
    """Members read; only owners may POST (unless members_may_post). Renders in the tenant's time zone."""
    if view is None:
        return lambda v: tenant_page(v, members_may_post=members_may_post)

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if getattr(request, "tenant", None) is None:
            return render(request, "connector/no_tenant.html", status=403)
        if request.method not in SAFE_METHODS and not is_owner(request) and not members_may_post:
            raise PermissionDenied("Only the shop's owners can change this.")
        with timezone.override(tenant_zone(request.tenant)):
            return view(request, *args, **kwargs)

    return wrapper
