"""Account services for the owner's pages: members, time zone (invitations: invites.py, API tokens: tokens.py)."""
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError

from .models import Membership


def member_remove(*, tenant, membership_id, acting_user):
    membership = Membership.objects.filter(tenant=tenant, pk=membership_id).first()
    if membership is None:
        return None
    if membership.user_id == acting_user.pk:
        raise ValidationError("You cannot remove yourself. Ask another owner.")
    if membership.role == Membership.Role.OWNER and Membership.objects.filter(
            tenant=tenant, role=Membership.Role.OWNER).count() <= 1:
        raise ValidationError("A shop needs at least one owner.")
    membership.delete()
    return membership


def members_of(*, tenant):
    return Membership.objects.filter(tenant=tenant).select_related("user").order_by("role", "user__username")


def tenant_time_zone_set(*, tenant, time_zone):
    ZoneInfo(time_zone)  # raises for an unknown zone
    tenant.time_zone = time_zone
    tenant.save(update_fields=["time_zone"])
    return tenant
