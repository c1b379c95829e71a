"""Buckles fixtures. Every test here runs on the PROVISIONAL contract of docs/buckles.md (Buckles publishes no
API): the `provisional` marker is put on each of them by `pytest_collection_modifyitems` below.

- `buckles_sandbox`: the sandbox on the test clock, routed to the client, delivering its webhooks into
  Django in-process (httpx.WSGITransport), and the webhook view on the same clock;
- `buckles_tenant`: ls_tenant (Lightspeed sandbox, mirror synced) with Buckles set up, shop 1 mapped;
- `mirror_sale(...)`: a sale in the sales mirror, as the mirror sync would write it.
"""
from datetime import datetime, timezone
from decimal import Decimal

import httpx
import pytest
from django.urls import reverse

from channels.buckles import views
from channels.buckles.models import BucklesSettings, BucklesShop
from channels.buckles.sandbox import BucklesSandbox
from connector.http import transport_overrides
from lightspeed.models import Customer, Item, Sale, SaleLine, SalePayment, ShipTo


def pytest_collection_modifyitems(items):
    for item in items:
        if "/buckles/" in str(item.fspath):
            item.add_marker(pytest.mark.provisional)


class DjangoTransport(httpx.BaseTransport):
    """Deliveries into Django through its test client (a WSGI call would close the test's DB connection)."""

    def handle_request(self, request):
        from django.test import Client

        headers = {k: v for k, v in request.headers.items() if k.lower().startswith("x-")}
        response = Client().generic(request.method, request.url.raw_path.decode(), data=request.read(),
                                    content_type=request.headers.get("content-type", ""), headers=headers)
        return httpx.Response(response.status_code, content=response.content, request=request)


@pytest.fixture
def buckles_sandbox(clock, monkeypatch):
    sandbox = BucklesSandbox(clock=clock, seed=1)
    sandbox.webhook_transport = DjangoTransport()
    transport_overrides["buckles"] = sandbox.transport()
    monkeypatch.setattr(views, "webhook_clock", clock)
    yield sandbox
    transport_overrides.pop("buckles", None)


@pytest.fixture
def buckles_tenant(ls_tenant, buckles_sandbox):
    settings, _ = BucklesSettings.objects.for_tenant(ls_tenant).update_or_create(
        tenant=ls_tenant, defaults={"enabled": True, "account": buckles_sandbox.account,
                                    "api_token": buckles_sandbox.token,
                                    "webhook_secret": buckles_sandbox.webhook_secret})
    BucklesShop.objects.create(tenant=ls_tenant, lightspeed_shop_ls_id=1, location="")
    buckles_sandbox.webhook_url = "http://testserver" + reverse("buckles:webhook", args=[settings.webhook_token])
    return ls_tenant


@pytest.fixture
def items(ls_tenant):
    return list(Item.objects.for_tenant(ls_tenant).filter(archived=False).order_by("ls_id"))


WHEN = datetime(2026, 9, 21, 10, 0, tzinfo=timezone.utc)


@pytest.fixture
def mirror_sale():
    def make(tenant, ls_id, *, lines, shop=1, completed=True, voided=False, refund=False, paid=None,
             ship_to=None, customer=None, when=WHEN):
        total = sum((Decimal(price) * qty for _, qty, price in lines), Decimal(0))
        sale = Sale.objects.create(
            tenant=tenant, ls_id=ls_id, shop_ls_id=shop, register_ls_id=1, employee_ls_id=1, completed=completed,
            voided=voided, is_refund=refund, total=total, subtotal=total, tax=Decimal(0), ticket_number=f"T{ls_id}",
            complete_time=when if completed else None, create_time=when, ls_timestamp=when,
            customer_ls_id=customer.ls_id if customer else 0)
        for n, (item, qty, price) in enumerate(lines, 1):
            SaleLine.objects.create(tenant=tenant, sale=sale, ls_id=ls_id * 100 + n, item_ls_id=item.ls_id,
                                    quantity=qty, unit_price=Decimal(price), subtotal=Decimal(price) * qty,
                                    total=Decimal(price) * qty)
        amount = total if paid is None else Decimal(paid)
        if amount:
            SalePayment.objects.create(tenant=tenant, sale=sale, ls_id=ls_id * 100, payment_type_ls_id=1,
                                       payment_type_name="Cash", amount=amount)
        if ship_to is not None:
            ShipTo.objects.create(tenant=tenant, sale=sale, ls_id=ls_id, shipped=ship_to == "shipped",
                                  first_name="Jane", last_name="Doe",
                                  address={"address1": "Main 1", "city": "Utrecht", "zip": "3511", "country": "NL"},
                                  ship_note="Track & Trace: 3SABC123 (PostNL)" if ship_to == "shipped" else "",
                                  ls_timestamp=when)
        return sale

    return make


@pytest.fixture
def customer(ls_tenant, ls_sandbox):
    """The Lightspeed sandbox's first customer, in the customer mirror as the mirror sync would write it."""
    row = ls_sandbox.customers()[0]
    email = row["Contact"]["Emails"]["ContactEmail"]["address"]
    return Customer.objects.create(tenant=ls_tenant, ls_id=int(row["customerID"]), first_name=row["firstName"],
                                   last_name=row["lastName"], email=email, phone="")


@pytest.fixture
def owner_of():
    """Make a signed-up owner (with an e-mail address) of the tenant."""
    from django.contrib.auth import get_user_model

    from tenants.models import Membership

    def make(tenant):
        user = get_user_model().objects.create_user(username=f"owner-{tenant.slug}", email=f"owner@{tenant.slug}.test")
        Membership.objects.create(user=user, tenant=tenant, role=Membership.Role.OWNER)
        return user

    return make
