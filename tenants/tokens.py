"""API tokens stored hashed: made (the key is returned once), authenticated, listed, revoked.

A key is `lsc_` + 32 random url-safe characters. The database keeps its first 12 characters
(the prefix, to look it up and to show) and its SHA-256 digest; a leaked table or an admin page
shows nothing that signs in. Every password change (reset, admin, CLI) revokes all of the user's
tokens through `RevokeApiTokensOnPasswordChange` (a password validator: Django calls its
`password_changed` whenever a user with a new password is saved).
"""
import hashlib
import hmac
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from .models import ApiToken

KEY_PREFIX = "lsc_"
PREFIX_LENGTH = 12
_TOUCH_EVERY = timedelta(minutes=5)  # last_used_at is written at most this often


def _digest(key):
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, user, name=""):
    """(token, key): the key exists only in this return value."""
    key = KEY_PREFIX + secrets.token_urlsafe(24)
    token = ApiToken.objects.create(user=user, name=name[:100], prefix=key[:PREFIX_LENGTH], digest=_digest(key))
    return token, key


def api_token_authenticate(key):
    """The token of `key`, or None. Digests are compared in constant time."""
    if not key or len(key) > 100:  # keys made before hashing (40 hex characters) have no lsc_
        return None
    digest = _digest(key)
    found = None
    for token in ApiToken.objects.select_related("user").filter(prefix=key[:PREFIX_LENGTH]):
        if hmac.compare_digest(token.digest, digest):
            found = token
    if found is not None:
        _touch(found)
    return found


def _touch(token):
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > _TOUCH_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


def api_tokens_of(*, user):
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-id")


def api_token_revoke(*, user, token_id):
    """True when `user` had the token (another user's token is simply not found)."""
    deleted, _ = ApiToken.objects.filter(user=user, pk=token_id).delete()
    return bool(deleted)


def api_tokens_revoke_all(*, user):
    deleted, _ = ApiToken.objects.filter(user=user).delete()
    return deleted


class ApiTokenAuthentication(BaseAuthentication):
    """`Authorization: Token <key>` against the hashed tokens."""

    keyword = "Token"

    def authenticate(self, request):
        auth = get_authorization_header(request).split()
        if not auth or auth[0].lower() != self.keyword.lower().encode():
            return None
        if len(auth) != 2:
            raise exceptions.AuthenticationFailed("Invalid token header: use 'Authorization: Token <token>'.")
        try:
            key = auth[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed("Invalid token.") from None
        token = api_token_authenticate(key)
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed("Invalid or revoked token.")
        return token.user, token

    def authenticate_header(self, request):
        return self.keyword


class RevokeApiTokensOnPasswordChange:
    """Listed in AUTH_PASSWORD_VALIDATORS only for its hook: a new password ends every API token."""

    def validate(self, password, user=None):
        return None

    def password_changed(self, password, user=None):
        if user is not None and user.pk is not None:
            api_tokens_revoke_all(user=user)

    def get_help_text(self):
        return "Changing your password signs out every API token you hold."
