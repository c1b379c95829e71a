"""The current tenant, for a request or a task. Scoped managers read it."""
from contextlib import contextmanager
from contextvars import ContextVar

_current_tenant = ContextVar("current_tenant", default=None)


class TenantNotSet(RuntimeError):
    """A tenant-owned model was queried with no tenant in context and no explicit scope."""


def get_current_tenant():
    return _current_tenant.get()


def require_current_tenant():
    tenant = _current_tenant.get()
    if tenant is None:
        raise TenantNotSet("no current tenant: wrap the call in tenant_context(tenant)")
    return tenant


@contextmanager
def tenant_context(tenant):
    token = _current_tenant.set(tenant)
    try:
        yield tenant
    finally:
        _current_tenant.reset(token)
