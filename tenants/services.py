from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.text import slugify

from .models import Membership, Tenant


def tenant_slug_free(*, name):
    base = slugify(name)[:50] or "shop"
    slug, n = base, 1
    while Tenant.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def tenant_sign_up(*, shop_name, email, password, time_zone="UTC"):
    """A store owner signs up: a user, a tenant and an owner membership."""
    user = get_user_model().objects.create_user(username=email.lower(), email=email.lower(), password=password)
    tenant = Tenant.objects.create(name=shop_name, slug=tenant_slug_free(name=shop_name), time_zone=time_zone)
    Membership.objects.create(user=user, tenant=tenant, role=Membership.Role.OWNER)
    return tenant, user
