"""Reads about the Lightspeed connection and the point-of-sale choice."""
from dataclasses import dataclass

from .models import Connection, PosChoice

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


@dataclass(frozen=True)
class PosBooking:
    """Where a channel's orders are booked: the shop (whose stock it sells), register and employee."""

    shop_ls_id: int | None
    register_ls_id: int | None
    employee_ls_id: int | None


POS_FIELDS = ("shop_ls_id", "register_ls_id", "employee_ls_id")


def pos_choice_rows(*, tenant, channel=""):
    """(default row, the channel's override row), either None."""
    rows = {r.channel: r for r in PosChoice.objects.for_tenant(tenant).filter(channel__in={"", channel})}
    return rows.get(""), rows.get(channel) if channel else None


def pos_booking(*, tenant, channel=""):
    """The tenant's default, with the channel's override field by field."""
    default, override = pos_choice_rows(tenant=tenant, channel=channel)
    return PosBooking(**{f: getattr(override, f, None) or getattr(default, f, None) for f in POS_FIELDS})


def pos_choice_complete(*, tenant):
    return all(getattr(pos_booking(tenant=tenant), f) for f in POS_FIELDS)


def pos_booking_labels(*, tenant, channel=""):
    """The booking's shop, register and employee by name, for the owner's pages ("" where none is chosen)."""
    from .models import Employee, Register, Shop

    booking = pos_booking(tenant=tenant, channel=channel)
    names = {}
    for key, model, ls_id in (("shop", Shop, booking.shop_ls_id), ("register", Register, booking.register_ls_id),
                              ("employee", Employee, booking.employee_ls_id)):
        row = model.objects.for_tenant(tenant).filter(ls_id=ls_id).first() if ls_id else None
        names[key] = (str(row) or f"#{ls_id}") if row else ""
    return names


MANAGING_ROLES = {"admin", "manager"}


@dataclass(frozen=True)
class Approver:
    employee_ls_id: int
    name: str
    role_name: str

    @property
    def is_admin_or_manager(self):
        return self.role_name.strip().lower() in MANAGING_ROLES


def connection_approver_role(tenant):
    """Who approved the Lightspeed connection, with their EmployeeRole's name; None until a reference sync
    has read the session and the employees."""
    from .models import Employee

    connection = connection_for(tenant)
    if connection is None or not connection.approver_employee_ls_id:
        return None
    employee = Employee.objects.for_tenant(tenant).filter(ls_id=connection.approver_employee_ls_id).first()
    if employee is None:
        return None
    return Approver(employee.ls_id, str(employee) or f"#{employee.ls_id}", employee.employee_role_name)
