"""Demo data (`manage.py demo_seed`): connect the demo tenant to the Lightspeed sandbox.

The OAuth round trip runs without a browser: the sandbox's control surface issues the code the
owner's approval would. Only against a sandbox on loopback; never against the real Lightspeed.
"""
from urllib.parse import parse_qs, urlsplit

import httpx
from django.conf import settings

from connector.http import transport_overrides
from connector.runs import run_job
from connector.sandbox_server import is_loopback

from .models import Connection, Employee, Register, Shop
from .selectors import pos_choice_rows
from .services import connection_authorize_url, connection_complete, pos_choice_set


def demo_seed(*, tenant, stdout):
    if not is_loopback(settings.LIGHTSPEED_AUTH_URL):
        stdout.write("lightspeed: LIGHTSPEED_AUTH_URL is not a local sandbox; demo connection skipped")
        return None
    connection = Connection.objects.for_tenant(tenant).first()
    if connection is not None and connection.status == Connection.Status.CONNECTED:
        stdout.write(f"lightspeed: demo tenant already connected (account {connection.account_id})")
    else:
        query = parse_qs(urlsplit(connection_authorize_url(tenant=tenant)).query)
        code = _sandbox_code(code_challenge=query["code_challenge"][0], method=query["code_challenge_method"][0])
        connection = connection_complete(tenant=tenant, code=code, state=query["state"][0])
        stdout.write(f"lightspeed: demo tenant connected to the sandbox (account {connection.account_id})")
    _pos_choice_default(tenant, stdout)
    return connection


def _pos_choice_default(tenant, stdout):
    """What the owner's first step on the Lightspeed page does: the shop, register and employee channel orders
    are booked on (the first of each), after the reference sync that lists them (the channels' seeds after this
    one map shops too)."""
    if pos_choice_rows(tenant=tenant)[0] is not None:
        return
    if not Shop.objects.for_tenant(tenant).exists():
        run_job(tenant=tenant, job="lightspeed.reference_sync", trigger="manual")
    shop = Shop.objects.for_tenant(tenant).filter(archived=False).order_by("ls_id").first()
    employee = Employee.objects.for_tenant(tenant).filter(archived=False).order_by("ls_id").first()
    register = (Register.objects.for_tenant(tenant).filter(archived=False, shop_ls_id=shop.ls_id).order_by("ls_id")
                .first() if shop else None)
    if not (shop and register and employee):
        stdout.write("lightspeed: no shop, register or employee mirrored yet; choose them on the Lightspeed page")
        return
    pos_choice_set(tenant=tenant, shop_ls_id=shop.ls_id, register_ls_id=register.ls_id, employee_ls_id=employee.ls_id)
    stdout.write(f"lightspeed: channel orders are booked on {shop.name}, register {register.name}, by {employee} "
                 f"(change it on the Lightspeed page)")


def _sandbox_code(*, code_challenge, method):
    with httpx.Client(base_url=settings.LIGHTSPEED_AUTH_URL, transport=transport_overrides.get("lightspeed"),
                      timeout=10) as client:
        response = client.post("/sandbox/oauth/code", data={
            "client_id": settings.LIGHTSPEED_CLIENT_ID, "code_challenge": code_challenge,
            "code_challenge_method": method,
        })
        response.raise_for_status()
        return response.json()["code"]
