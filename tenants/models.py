from django.conf import settings
from django.db import models

from .scoping import TenantOwned


class Tenant(models.Model):
    """One store owner's business: one Lightspeed account and its channels."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=60, unique=True)
    time_zone = models.CharField(max_length=64, default="UTC")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.slug


class Membership(models.Model):
    class Role(models.TextChoices):
        OWNER = "owner", "Owner"
        MEMBER = "member", "Member"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "tenant"], name="membership_unique_user_tenant")]

    def __str__(self):
        return f"{self.user} @ {self.tenant} ({self.role})"


class ApiToken(models.Model):
    """A REST API token, kept only as its SHA-256 digest: the key is shown once, when it is made.

    `prefix` (the key's first characters) finds the row and lets the owner recognise the token in a list.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, blank=True)
    prefix = models.CharField(max_length=16, db_index=True)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.prefix}… ({self.user})"


class SignUpRequest(models.Model):
    """A sign-up waiting for its email to be confirmed. Sign-up answers the same whether or not the email
    has an account; the account is made only when the link mailed to that address is used."""

    email = models.EmailField()
    shop_name = models.CharField(max_length=200)
    time_zone = models.CharField(max_length=64, default="UTC")
    password = models.CharField(max_length=128)  # already hashed (make_password)
    digest = models.CharField(max_length=64, unique=True)  # SHA-256 of the link's token
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"sign-up of {self.email}"


class Invite(TenantOwned):
    """An owner's invitation for an email address to join the shop: a link the invitee accepts.

    Only the SHA-256 of the link's token is kept. Nothing is attached to an account until the invitee,
    signed in as that address (or making its account from the link), accepts.
    """

    email = models.EmailField()
    role = models.CharField(max_length=10, choices=Membership.Role.choices, default=Membership.Role.MEMBER)
    digest = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"invite of {self.email} to {self.tenant_id}"

    def is_pending(self, now):
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > now
