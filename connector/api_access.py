"""API access: every request runs in its user's tenant context; members read, owners write."""
from rest_framework.permissions import SAFE_METHODS, BasePermission

from tenants.context import tenant_context
from tenants.models import Membership
from tenants.selectors import membership_for_user


class TenantMember(BasePermission):
    message = "Your account does not belong to a shop, or only the shop's owners can change this."

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False
        membership = membership_for_user(user=request.user)
        request.membership = membership
        if membership is None:
            return False
        return request.method in SAFE_METHODS or membership.role == Membership.Role.OWNER


class TenantScopedAPIView:
    """Mixin for DRF views: the tenant context is entered once authentication and permissions passed.

    Token-authenticated requests are anonymous to the tenant middleware (DRF authenticates
    later), so the context is set here for every API request.
    """

    permission_classes = [TenantMember]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.tenant = request.membership.tenant
        self._tenant_scope = tenant_context(self.tenant)
        self._tenant_scope.__enter__()

    def dispatch(self, request, *args, **kwargs):
        self._tenant_scope = None
        try:
            response = super().dispatch(request, *args, **kwargs)
            if self._tenant_scope is not None and hasattr(response, "render"):
                response.render()  # the browsable renderer reads querysets: render inside the tenant context
            return response
        finally:
            if self._tenant_scope is not None:
                self._tenant_scope.__exit__(None, None, None)
