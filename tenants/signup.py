"""Sign-up by confirmed email: the answer to a sign-up is the same whether or not the address has an
account. A new address gets a link that creates the shop; a known one gets a mail saying so (sign in,
or reset the password). The password is hashed in both cases, so the time taken is alike too."""
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .links import link_digest, link_find, link_mail, link_token
from .models import SignUpRequest
from .services import tenant_sign_up

SIGN_UP_HOURS = 24


def email_has_account(email):
    User = get_user_model()
    return User.objects.filter(username=email).exists() or User.objects.filter(email__iexact=email).exists()


@transaction.atomic
def sign_up_request(*, shop_name, email, password, time_zone="UTC", request=None):
    email = email.strip().lower()
    hashed = make_password(password)
    if email_has_account(email):
        transaction.on_commit(lambda: link_mail(to=email, template="sign_up_exists", context={}, request=request))
        return None
    token = link_token()
    pending = SignUpRequest.objects.create(email=email, shop_name=shop_name, time_zone=time_zone, password=hashed,
                                           digest=link_digest(token),
                                           expires_at=timezone.now() + timedelta(hours=SIGN_UP_HOURS))
    context = {"shop": shop_name, "path": f"/signup/confirm/{token}/", "hours": SIGN_UP_HOURS}
    transaction.on_commit(lambda: link_mail(to=email, template="sign_up_confirm", context=context, request=request))
    return pending


def sign_up_request_for_token(token):
    pending = link_find(SignUpRequest.objects.all(), token)
    if pending is None or pending.used_at is not None or pending.expires_at <= timezone.now():
        return None
    return pending


@transaction.atomic
def sign_up_confirm(*, pending):
    """Create the account, shop and owner membership of a confirmed sign-up: (tenant, user)."""
    pending = SignUpRequest.objects.select_for_update().get(pk=pending.pk)
    if pending.used_at is not None or pending.expires_at <= timezone.now():
        raise ValidationError("This link has been used or has expired. Sign up again, or sign in.")
    if email_has_account(pending.email):
        raise ValidationError("An account with this email exists already. Sign in instead.")
    tenant, user = tenant_sign_up(shop_name=pending.shop_name, email=pending.email, password=None,
                                  time_zone=pending.time_zone)
    user.password = pending.password
    user.save(update_fields=["password"])
    pending.used_at = timezone.now()
    pending.save(update_fields=["used_at"])
    return tenant, user
