"""Connecting and disconnecting a tenant's Lightspeed account, and the point-of-sale choice."""
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from connector.clock import system_clock
from connector.schedules import schedule_disable, schedule_enable, schedule_resume

from . import oauth
from .auth import tokens_store
from .models import Connection, Employee, PosChoice, Register, Shop
from .selectors import pos_choice_rows

AUTHORIZATION_TTL = timedelta(minutes=15)
SYNC_JOBS = ("lightspeed.reference_sync", "lightspeed.catalog_sync", "lightspeed.sales_sync")


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
    pending = connection.oauth_state if connection is not None else ""
    if not pending or not constant_time_compare(state or "", pending):
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
        tokens_store(connection, tokens)
        connection.account_id, connection.account_name = account_id, account_name
        connection.status, connection.status_reason = Connection.Status.CONNECTED, ""
        connection.connected_at = timezone.now()
        connection.oauth_state, connection.oauth_code_verifier, connection.oauth_started_at = "", "", None
        connection.save()
        for job in SYNC_JOBS:
            schedule_enable(tenant=tenant, job=job)
        schedule_resume(tenant=tenant, reason=oauth.RECONNECT_REASON)
    return connection


def connection_approver_save(*, tenant, employee_ls_id):
    """Remember whose Lightspeed login the token acts for (the channel pages warn unless Admin or Manager)."""
    return Connection.objects.for_tenant(tenant).update(approver_employee_ls_id=employee_ls_id)


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


def _pos_errors(tenant, shop_ls_id, register_ls_id, employee_ls_id):
    errors = {}
    live = {"archived": False}
    if shop_ls_id and not Shop.objects.for_tenant(tenant).filter(ls_id=shop_ls_id, **live).exists():
        errors["shop_ls_id"] = f"Shop {shop_ls_id} is not in your Lightspeed data; pick one from the list."
    registers = Register.objects.for_tenant(tenant).filter(ls_id=register_ls_id, **live)
    register = registers.first() if register_ls_id else None
    if register_ls_id and register is None:
        errors["register_ls_id"] = f"Register {register_ls_id} is not in your Lightspeed data; pick one from the list."
    elif register and shop_ls_id and register.shop_ls_id and register.shop_ls_id != shop_ls_id:
        errors["register_ls_id"] = (f"Register “{register.name}” belongs to another shop. Pick a register of the "
                                    f"shop you chose, or change the shop.")
    if employee_ls_id and not Employee.objects.for_tenant(tenant).filter(ls_id=employee_ls_id, **live).exists():
        errors["employee_ls_id"] = f"Employee {employee_ls_id} is not in your Lightspeed data; pick one from the list."
    return errors


def pos_choice_set(*, tenant, channel="", shop_ls_id=None, register_ls_id=None, employee_ls_id=None):
    """Save the default choice (channel "") or a channel's override; blank override fields use the default.

    A register must belong to the shop it is booked with (the override's shop, else the default's).
    """
    default, _ = pos_choice_rows(tenant=tenant)
    shop_for_register = shop_ls_id or (default.shop_ls_id if default and channel else None)
    errors = _pos_errors(tenant, shop_ls_id, register_ls_id, employee_ls_id)
    if not errors and not shop_ls_id and shop_for_register:
        errors = _pos_errors(tenant, shop_for_register, register_ls_id, None)
    if errors:
        raise ValidationError(errors)
    choice, _ = PosChoice.objects.for_tenant(tenant).update_or_create(
        tenant=tenant, channel=channel,
        defaults={"shop_ls_id": shop_ls_id, "register_ls_id": register_ls_id, "employee_ls_id": employee_ls_id})
    return choice


def pos_choice_clear(*, tenant, channel):
    """Drop a channel's override: it books on the default again."""
    PosChoice.objects.for_tenant(tenant).filter(channel=channel).exclude(channel="").delete()
