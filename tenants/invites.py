"""Invitations: an owner invites an email address; the invitee accepts the mailed link.

The owner's answer is the same whether or not the address has an account. Nothing is attached to an
account until the invitee accepts, signed in as that address or choosing a password from the link
(the link went to that inbox, so its holder may learn whether the address has an account). Support
(staff) accounts and accounts of another shop cannot accept.
"""
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .links import link_digest, link_find, link_mail, link_token
from .models import Invite, Membership

INVITE_DAYS = 7


@transaction.atomic
def invite_create(*, tenant, email, role=Membership.Role.MEMBER, invited_by=None, request=None):
    """A new invitation (an earlier pending one to the same address is replaced) and its mail, on commit."""
    email = email.strip().lower()
    now = timezone.now()
    Invite.objects.for_tenant(tenant).filter(email=email, accepted_at=None, revoked_at=None).update(revoked_at=now)
    token = link_token()
    invite = Invite.objects.for_tenant(tenant).create(
        tenant=tenant, email=email, role=role, digest=link_digest(token), invited_by=invited_by,
        expires_at=now + timedelta(days=INVITE_DAYS))
    context = {"shop": tenant.name, "role": invite.get_role_display(), "path": f"/invite/{token}/",
               "days": INVITE_DAYS, "inviter": getattr(invited_by, "email", "") or "An owner"}
    transaction.on_commit(lambda: link_mail(to=email, template="invite", context=context, request=request))
    return invite


def invites_pending(*, tenant):
    now = timezone.now()
    return Invite.objects.for_tenant(tenant).filter(accepted_at=None, revoked_at=None, expires_at__gt=now).order_by(
        "email")


def invite_revoke(*, tenant, invite_id):
    """Revoke a pending invitation of this tenant; None when there is none (another tenant's id included)."""
    invite = invites_pending(tenant=tenant).filter(pk=invite_id).first()
    if invite is not None:
        invite.revoked_at = timezone.now()
        invite.save(update_fields=["revoked_at"])
    return invite


def invite_for_token(token):
    """The pending invitation of this link, or None (unknown, used, revoked or expired alike).
    Cross-tenant by design: the token is how the invitee names it."""
    invite = link_find(Invite.unscoped.select_related("tenant"), token)
    return invite if invite is not None and invite.is_pending(timezone.now()) else None


@transaction.atomic
def invite_accept(*, invite, user):
    """Join the invite's shop as `user`, who must be signed in as the invited address."""
    invite = Invite.unscoped.select_for_update().get(pk=invite.pk)
    if not invite.is_pending(timezone.now()):
        raise ValidationError("This invitation is no longer valid. Ask the shop's owner for a new one.")
    if (user.email or user.username).strip().lower() != invite.email:
        raise ValidationError(f"This invitation is for {invite.email}. Sign out, then open the link again.")
    if user.is_staff or user.is_superuser:
        raise ValidationError("Support accounts cannot join a shop.")
    if Membership.objects.filter(user=user).exclude(tenant=invite.tenant_id).exists():
        raise ValidationError("Your account already belongs to another shop; an account belongs to one shop.")
    membership, _ = Membership.objects.update_or_create(user=user, tenant=invite.tenant, defaults={"role": invite.role})
    invite.accepted_at, invite.accepted_by = timezone.now(), user
    invite.save(update_fields=["accepted_at", "accepted_by"])
    return membership


@transaction.atomic
def invite_accept_new_account(*, invite, password):
    """Make the invited address's account with `password` and accept. Refused when the address has an
    account already (the link's holder is told to sign in)."""
    User = get_user_model()
    if User.objects.filter(username=invite.email).exists() or User.objects.filter(email__iexact=invite.email).exists():
        raise ValidationError(f"{invite.email} has an account already: sign in, then open the link again.")
    user = User.objects.create_user(username=invite.email, email=invite.email, password=password)
    return invite_accept(invite=invite, user=user)
