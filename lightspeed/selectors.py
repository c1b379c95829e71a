"""Reads about the Lightspeed connection."""
from .models import Connection

HEALTH_DISCONNECTED = "Lightspeed is not connected yet."


def connection_for(tenant):
    return Connection.objects.for_tenant(tenant).first()


def connection_health(tenant):
    """(status, reason) for the UI badge: connected | needs_reconnect | disconnected."""
    connection = connection_for(tenant)
    if connection is None or connection.status == Connection.Status.DISCONNECTED:
        return Connection.Status.DISCONNECTED.value, HEALTH_DISCONNECTED
    if connection.status == Connection.Status.NEEDS_RECONNECT:
        return connection.status, connection.status_reason or "Reconnect Lightspeed."
    label = connection.account_name or connection.account_id
    return connection.status, f"Connected to Lightspeed account {label} (#{connection.account_id})."


def token_expired(connection, now):
    return connection.expires_at is None or now >= connection.expires_at
