"""Connecting, refreshing and disconnecting a tenant's Lightspeed account."""
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from connector.clock import system_clock
from connector.errors import ConfigError
from connector.redact import secret_register
from connector.schedules import schedule_disable, schedule_enable, schedule_resume

from . import oauth
from .models import Connection
from .selectors import token_expired

AUTHORIZATION_TTL = timedelta(minutes=15)
SYNC_JOBS = ("lightspeed.reference_sync", "lightspeed.catalog_sync")


class ConnectFailed(Exception):
    """The owner's way back from Lightspeed cannot be accepted (message is shown to them)."""


def _connection_get_or_create(tenant):
    connection, _ = Connection.objects.for_tenant(tenant).get_or_create(tenant=tenant)
    return connection


def connection_authorize_url(*, tenant, request=None):
    """The URL to send the owner to; its state and PKCE verifier are kept on the connection row."""
    url, state, verifier = oauth.authorize_url()
    connection = _connection_get_or_create(tenant)
    connection.oauth_state = state
    connection.oauth_code_verifier = verifier
    connection.oauth_started_at = timezone.now()
    connection.save(update_fields=["oauth_state", "oauth_code_verifier", "oauth_started_at", "updated_at"])
    return url


def _pending_verifier(connection, state):
    if connection is None or not connection.oauth_state or not constant_time_compare(state or "", connection.oauth_state):
        raise ConnectFailed("This Lightspeed authorization does not match the one we started. Please connect again.")
    if connection.oauth_started_at is None or timezone.now() - connection.oauth_started_at > AUTHORIZATION_TTL:
        raise ConnectFailed("This Lightspeed authorization took too long. Please connect again.")
    return connection.oauth_code_verifier


def connection_complete(*, tenant, code, state, clock=None):
    """Exchange the code, read the account, store the tokens, start the sync schedules."""
    from .client import account_discover

    clock = clock or system_clock
    connection = Connection.objects.for_tenant(tenant).first()
    verifier = _pending_verifier(connection, state)
    tokens = oauth.code_exchange(code=code, code_verifier=verifier, now=clock.now())
    account_id, account_name = account_discover(access_token=tokens.access_token, clock=clock)
    with transaction.atomic():
        connection = Connection.objects.for_tenant(tenant).select_for_update().get(pk=connection.pk)
        _store_tokens(connection, tokens)
        connection.account_id, connection.account_name = account_id, account_name
        connection.status, connection.status_reason = Connection.Status.CONNECTED, ""
        connection.connected_at = timezone.now()
        connection.oauth_state, connection.oauth_code_verifier, connection.oauth_started_at = "", "", None
        connection.save()
        for job in SYNC_JOBS:
            schedule_enable(tenant=tenant, job=job)
        schedule_resume(tenant=tenant, reason=oauth.RECONNECT_REASON)
    return connection


def _store_tokens(connection, tokens):
    connection.access_token = tokens.access_token
    connection.refresh_token = tokens.refresh_token
    connection.expires_at = tokens.expires_at


def connection_disconnect(*, tenant):
    """Revoke the grant (best effort), forget the tokens, stop the Lightspeed schedules."""
    connection = Connection.objects.for_tenant(tenant).first()
    if connection is None:
        return None
    if connection.refresh_token:
        oauth.token_revoke(refresh_token=connection.refresh_token)
    connection.access_token = connection.refresh_token = ""
    connection.expires_at = None
    connection.status, connection.status_reason = Connection.Status.DISCONNECTED, ""
    connection.save()
    for job in SYNC_JOBS:
        schedule_disable(tenant=tenant, job=job)
    return connection


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
            _store_tokens(connection, tokens)
            connection.save(update_fields=["access_token", "refresh_token", "expires_at", "updated_at"])
            return connection
    connection_mark_needs_reconnect(tenant=tenant)
    raise failure
