"""What the owner's pages and the API show about the Lightspeed connection."""
from .models import Connection


def _health(tenant):
    try:
        from .selectors import connection_health
    except ImportError:  # the OAuth work has not landed: read the row as it is
        row = Connection.objects.for_tenant(tenant).first()
        return (row.status, row.status_reason) if row else (Connection.Status.DISCONNECTED, "")
    return connection_health(tenant=tenant)


def connection_facts(*, tenant):
    status, reason = _health(tenant)
    row = Connection.objects.for_tenant(tenant).first()
    return {
        "status": status, "reason": reason or "",
        "account_id": row.account_id if row else "", "account_name": row.account_name if row else "",
        "connected_at": row.connected_at if row else None,
    }
