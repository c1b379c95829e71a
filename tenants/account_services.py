"""Account services for the owner's pages: members, time zone (API tokens: tokens.py)."""
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm
from django.core.exceptions import ValidationError
from django.db import transaction

from .models import Membership


@transaction.atomic
def member_invite(*, tenant, email, role=Membership.Role.MEMBER, request=None):
    """Add a user to the tenant; a new user gets an email to choose a password."""
    email = email.strip().lower()
    User = get_user_model()
    user = User.objects.filter(username=email).first()
    if user is not None and Membership.objects.filter(user=user).exclude(tenant=tenant).exists():
        raise ValidationError({"email": "This email already belongs to another shop's account. Use another address."})
    created = user is None
    if created:
        user = User.objects.create_user(username=email, email=email)
        user.set_unusable_password()
        user.save(update_fields=["password"])
    membership, _ = Membership.objects.update_or_create(user=user, tenant=tenant, defaults={"role": role})
    if created:
        form = PasswordResetForm({"email": email})
        if form.is_valid():
            # Unusable passwords are skipped by the reset form, so send directly to the one user.
            transaction.on_commit(lambda: _send_welcome(form, user, request))
    return membership


def _send_welcome(form, user, request):
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    context = {
        "email": user.email, "domain": request.get_host() if request else "localhost",
        "site_name": "Lightspeed Connector", "uid": urlsafe_base64_encode(force_bytes(user.pk)), "user": user,
        "token": default_token_generator.make_token(user), "protocol": "https" if request and request.is_secure() else "http",
    }
    form.send_mail("registration/password_reset_subject.txt", "registration/password_reset_email.html", context,
                   None, user.email)


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
