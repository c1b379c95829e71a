"""Sellercloud fixtures: the sandbox on the test clock, a tenant set up on top of ls_tenant (login, company,
warehouses downloaded, Lightspeed shop 1 mapped to the Main Warehouse), and sales written into the mirror."""
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from channels.sellercloud.client import tokens_forget
from channels.sellercloud.models import SellercloudProduct, SellercloudSettings, SellercloudShop
from channels.sellercloud.sandbox import SellercloudSandbox
from channels.sellercloud.services import warehouses_download
from connector.http import transport_overrides
from lightspeed.models import Customer, Employee, Item, PaymentType, Register, Sale, SaleLine, SalePayment

MAIN, BACKROOM, RETURNS = 1, 2, 3


@pytest.fixture
def sc(clock):
    sandbox = SellercloudSandbox(clock=clock, seed=1)
    transport_overrides["sellercloud"] = sandbox.transport()
    tokens_forget()
    yield sandbox
    transport_overrides.pop("sellercloud", None)
    tokens_forget()


@pytest.fixture
def sc_tenant(ls_tenant, sc, clock):
    SellercloudSettings.objects.for_tenant(ls_tenant).update_or_create(tenant=ls_tenant, defaults={
        "enabled": True, "username": sc.username, "password": sc.password, "company_id": str(sc.company_id),
        "returns_warehouse_id": RETURNS, "orders_since": timezone.now() - timedelta(days=1)})
    warehouses_download(tenant=ls_tenant, clock=clock)
    register = Register.objects.for_tenant(ls_tenant).filter(shop_ls_id=1).order_by("ls_id").first()
    employee = Employee.objects.for_tenant(ls_tenant).order_by("ls_id").first()
    SellercloudShop.objects.create(tenant=ls_tenant, shop_ls_id=1, warehouse_ids=[MAIN],
                                   register_ls_id=register.ls_id, employee_ls_id=employee.ls_id)
    return ls_tenant


@pytest.fixture
def linked(sc_tenant, sc):
    """Three Lightspeed items with Sellercloud products (SKU-1..3, 10 each in the Main Warehouse), linked."""
    items = list(Item.objects.for_tenant(sc_tenant).filter(archived=False).order_by("ls_id")[:3])
    for n, item in enumerate(items, 1):
        sc.product_add(f"SKU-{n}", name=item.description, price="10.00", cost="4.00", lightspeed=True)
        sc.stock_set(f"SKU-{n}", MAIN, 10)
        SellercloudProduct.objects.create(tenant=sc_tenant, sku=f"SKU-{n}", item_ls_id=item.ls_id, link="matched",
                                          lightspeed_enabled=True)
    return items


def payment_type(tenant, kind):
    return PaymentType.objects.for_tenant(tenant).filter(type__iexact=kind).order_by("ls_id").first()


_ids = iter(range(900_000, 10_000_000))


def make_sale(tenant, *, lines, payments=(), shop=1, customer=None, completed=True, when=None, ls_id=None):
    """A mirrored sale. lines: (item ls_id, qty, unit price[, discount[, tax]]);
    payments: (PaymentType or None, amount)."""
    when = when or timezone.now()
    total = sum(Decimal(str(q)) * Decimal(str(p)) - Decimal(str(rest[0] if rest else 0)) for _, q, p, *rest in lines)
    sale = Sale.objects.create(tenant=tenant, ls_id=ls_id or next(_ids), shop_ls_id=shop, completed=completed,
                               complete_time=when if completed else None, total=total, register_ls_id=1,
                               employee_ls_id=1, customer_ls_id=customer.ls_id if customer else 0,
                               is_refund=any(q < 0 for _, q, *_ in lines))
    for item, qty, price, *rest in lines:
        discount = Decimal(str(rest[0])) if rest else Decimal(0)
        tax = Decimal(str(rest[1])) if len(rest) > 1 else Decimal(0)
        SaleLine.objects.create(tenant=tenant, sale=sale, ls_id=next(_ids), item_ls_id=item, quantity=qty,
                                unit_price=Decimal(str(price)), discount=discount, tax=tax,
                                subtotal=qty * Decimal(str(price)) - discount)
    for kind, amount in payments:
        SalePayment.objects.create(tenant=tenant, sale=sale, ls_id=next(_ids), amount=Decimal(str(amount)),
                                   payment_type_ls_id=kind.ls_id if kind else 0,
                                   payment_type_name=kind.name if kind else "")
    return sale


def make_customer(tenant, **fields):
    return Customer.objects.create(tenant=tenant, ls_id=next(_ids), **{"first_name": "Jane", "last_name": "Doe",
                                                                      "email": "jane@example.com", **fields})
