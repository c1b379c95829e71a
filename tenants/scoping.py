"""Tenant scoping: every tenant-owned model inherits TenantOwned.

`Model.objects` filters by the current tenant and refuses to run without one.
`Model.objects.for_tenant(t)` scopes explicitly. `Model.unscoped` is for the few
cross-tenant readers (the scheduler tick, Django admin for support staff) and is
easy to grep for.
"""
from django.db import models

from .context import get_current_tenant, require_current_tenant

# Models that are global by design (no tenant column), with the reason.
GLOBAL_MODELS = {
    "auth.user": "users sign in before a tenant is known; memberships tie them to tenants",
    "auth.group": "Django permission groups for support staff",
    "auth.permission": "Django permissions",
    "contenttypes.contenttype": "Django internals",
    "sessions.session": "Django sessions",
    "admin.logentry": "support staff audit log",
    "tenants.apitoken": "API tokens (hashed) belong to users; the API scopes by the user's membership",
    "axes.accessattempt": "failed sign-ins per account/address, before a tenant is known (brute-force limits)",
    "axes.accessattemptexpiration": "django-axes: when an AccessAttempt expires (belongs to it)",
    "axes.accessfailurelog": "django-axes failure log (disabled), no tenant: sign-in happens before one",
    "axes.accesslog": "django-axes access log (disabled), no tenant: sign-in happens before one",
    "tenants.tenant": "the tenant itself",
    "tenants.membership": "links users to tenants; read per user, never listed across tenants",
    "tenants.signuprequest": "a sign-up waiting for its email confirmation: the tenant does not exist yet",
}


class TenantScopedManager(models.Manager):
    def get_queryset(self):
        tenant = require_current_tenant()
        return super().get_queryset().filter(tenant=tenant)

    def for_tenant(self, tenant):
        return super().get_queryset().filter(tenant=tenant)

    def create(self, **kwargs):
        kwargs.setdefault("tenant", get_current_tenant())
        if kwargs["tenant"] is None:
            require_current_tenant()
        return super().get_queryset().create(**kwargs)


class TenantOwned(models.Model):
    tenant = models.ForeignKey("tenants.Tenant", on_delete=models.CASCADE, related_name="+")

    objects = TenantScopedManager()
    unscoped = models.Manager()

    class Meta:
        abstract = True
        base_manager_name = "unscoped"
