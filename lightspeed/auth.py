"""The tenant's Lightspeed tokens: stored, refreshed once across workers, and the reconnect mark.

The client calls these when a token expires or is rejected; the connect flow stores its first tokens here.
"""
from django.db import transaction
from django.utils import timezone

from connector.clock import system_clock
from connector.errors import ConfigError
from connector.redact import secret_register

from . import oauth
from .models import Connection
from .selectors import token_expired


def tokens_store(connection, tokens):
    connection.access_token = tokens.access_token
    connection.refresh_token = tokens.refresh_token
    connection.expires_at = tokens.expires_at


def connection_mark_needs_reconnect(*, tenant, reason=oauth.RECONNECT_REASON):
    Connection.objects.for_tenant(tenant).update(
        status=Connection.Status.NEEDS_RECONNECT, status_reason=reason, updated_at=timezone.now()
    )


def connection_token_refresh(*, tenant, rejected_token, clock=None):
    """A fresh access token, refreshing at most once across all workers.

    The row lock serialises refreshers; after the lock we re-read: if another worker already
    rotated the tokens, its access token is used and our (now revoked) refresh token is not.
    The rotated refresh token is stored in the same transaction as the lock.
    """
    clock = clock or system_clock
    failure = None
    with transaction.atomic():
        connection = Connection.objects.for_tenant(tenant).select_for_update().first()
        if connection is None or connection.status != Connection.Status.CONNECTED or not connection.refresh_token:
            raise ConfigError("Connect Lightspeed first.", pause_tenant=True)
        if connection.access_token != rejected_token and not token_expired(connection, clock.now()):
            secret_register(connection.access_token)
            return connection
        try:
            tokens = oauth.token_refresh(refresh_token=connection.refresh_token, now=clock.now())
        except oauth.ReconnectRequired as exc:
            failure = exc
        else:
            tokens_store(connection, tokens)
            connection.save(update_fields=["access_token", "refresh_token", "expires_at", "updated_at"])
            return connection
    connection_mark_needs_reconnect(tenant=tenant)
    raise failure
