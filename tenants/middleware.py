from .context import tenant_context
from .selectors import membership_for_user


class CurrentTenantMiddleware:
    """Sets request.tenant and request.membership, and the tenant context for the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        membership = membership_for_user(user=request.user) if request.user.is_authenticated else None
        request.membership = membership
        request.tenant = membership.tenant if membership else None
        if request.tenant is None:
            return self.get_response(request)
        with tenant_context(request.tenant):
            return self.get_response(request)
