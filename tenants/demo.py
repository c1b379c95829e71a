"""The demo tenant and its logins (`manage.py demo_seed`); idempotent."""
from django.contrib.auth import get_user_model
from django.db import transaction

from .models import Membership, Tenant

DEMO_SLUG = "demo"
DEMO_OWNER = "owner@demo.example"
DEMO_SUPPORT = "support@demo.example"
DEMO_PASSWORD = "demo-connector-2026"


@transaction.atomic
def demo_tenant_seed(*, password=DEMO_PASSWORD):
    """The demo shop with an owner login, and a support superuser for the admin."""
    tenant, _ = Tenant.objects.get_or_create(slug=DEMO_SLUG,
                                             defaults={"name": "Demo Shop", "time_zone": "Europe/Copenhagen"})
    owner = _user_with_password(email=DEMO_OWNER, password=password)
    Membership.objects.get_or_create(user=owner, tenant=tenant, defaults={"role": Membership.Role.OWNER})
    support = _user_with_password(email=DEMO_SUPPORT, password=password)
    if not support.is_superuser:
        support.is_staff = support.is_superuser = True
        support.save(update_fields=["is_staff", "is_superuser"])
    return tenant, owner, support


def _user_with_password(*, email, password):
    user, created = get_user_model().objects.get_or_create(username=email, defaults={"email": email})
    if created or not user.check_password(password):
        user.set_password(password)
        user.save(update_fields=["password"])
    return user
