"""What the owner's pages and the API show about the Lightspeed connection."""
from .models import Connection, Employee, Register, Shop
from .selectors import connection_health


def _paused_reason(tenant):
    from connector.models import Schedule

    paused = Schedule.objects.for_tenant(tenant).filter(job__startswith="lightspeed.").exclude(paused_reason="")
    return paused.values_list("paused_reason", flat=True).first()


def connection_facts(*, tenant):
    """Status for the badge: connected, needs_reconnect, paused (its syncs are paused, with the reason) or
    disconnected."""
    status, reason = connection_health(tenant=tenant)
    if status == Connection.Status.CONNECTED and (paused := _paused_reason(tenant)):
        status, reason = "paused", paused
    row = Connection.objects.for_tenant(tenant).first()
    return {
        "status": status, "reason": reason or "",
        "account_id": row.account_id if row else "", "account_name": row.account_name if row else "",
        "connected_at": row.connected_at if row else None,
    }


def mirror_lists(*, tenant):
    """Active shops, registers (each with its shop) and employees, as the owner picks from them."""
    live = {"archived": False}
    shops = list(Shop.objects.for_tenant(tenant).filter(**live).order_by("name"))
    names = {s.ls_id: s.name for s in shops}
    registers = list(Register.objects.for_tenant(tenant).filter(**live).order_by("name"))
    for register in registers:
        register.shop_name = names.get(register.shop_ls_id, "")
    return {"shops": shops, "registers": registers,
            "employees": list(Employee.objects.for_tenant(tenant).filter(**live).order_by("first_name", "last_name"))}


def account_shared_warning(*, tenant):
    """A warning when this tenant's Lightspeed account is also connected to another tenant: both would sync
    the same shop and import orders into the same account ("" otherwise). Names no other tenant."""
    connected = Connection.objects.for_tenant(tenant).filter(status=Connection.Status.CONNECTED)
    row = connected.exclude(account_id="").first()
    if row is None:
        return ""
    # Cross-tenant by design: the only question asked of the others is "is this account yours too?".
    others = Connection.unscoped.filter(account_id=row.account_id).exclude(tenant=tenant).exclude(
        status=Connection.Status.DISCONNECTED).count()
    if not others:
        return ""
    return (f"This Lightspeed account (#{row.account_id}) is also connected to {others} other shop"
            f"{'s' if others > 1 else ''} in this connector. Their syncs and channel orders would go to the same "
            f"Lightspeed account. If that is not intended, disconnect it here or ask support.")
