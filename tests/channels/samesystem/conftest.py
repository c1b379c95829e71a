"""SameSystem fixtures: the sandbox on the test clock, a tenant with two Lightspeed shops in the mirror
(Copenhagen), mapped to two SameSystem departments, and a helper that writes mirror sales directly."""
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from channels.samesystem.models import SameSystemDepartment, SameSystemRegister, SameSystemSettings
from channels.samesystem.sandbox import SameSystemSandbox
from channels.samesystem.services import samesystem_connection_check
from connector.http import transport_overrides
from lightspeed.models import Register, Sale, SaleLine, Shop

CPH = ZoneInfo("Europe/Copenhagen")
FIELDS = {"gross_sales": 5266, "net_sales": 5267, "discounts": 5268, "returns": 5269, "transactions": 5270,
          "goods_sold": 5271, "goods_returned": 5272, "visitors": 5273}
MAIN, HARBOUR = "c1d10", "c1d11"  # 2 registers / 1 register in the sandbox


@pytest.fixture
def ss_sandbox(clock):
    sandbox = SameSystemSandbox(clock=clock, seed=1)
    transport_overrides["samesystem"] = sandbox.transport()
    yield sandbox
    transport_overrides.pop("samesystem", None)


def make_shops(tenant):
    Shop.objects.create(tenant=tenant, ls_id=1, name="Strøget", time_zone="Europe/Copenhagen")
    Shop.objects.create(tenant=tenant, ls_id=2, name="Havnen", time_zone="Europe/Copenhagen")
    for ls_id, shop, name in ((1, 1, "Till 1"), (2, 2, "Harbour till"), (3, 1, "Till 2")):
        Register.objects.create(tenant=tenant, ls_id=ls_id, name=name, shop_ls_id=shop)
    return tenant


@pytest.fixture
def shops(tenant):
    return make_shops(tenant)


@pytest.fixture
def ss_tenant(shops, ss_sandbox):
    return configure(shops, ss_sandbox)


def configure(tenant, ss_sandbox):
    """API user entered, connection checked, departments, registers and all eight figures mapped."""
    SameSystemSettings.objects.create(tenant=tenant, email=ss_sandbox.email, password=ss_sandbox.password,
                                      enabled=True, auto_confirm=True, vat_included=False, field_map=FIELDS)
    samesystem_connection_check(tenant=tenant)
    SameSystemDepartment.objects.for_tenant(tenant).filter(ctx_token=MAIN).update(lightspeed_shop_ls_id=1)
    SameSystemDepartment.objects.for_tenant(tenant).filter(ctx_token=HARBOUR).update(lightspeed_shop_ls_id=2)
    SameSystemRegister.objects.create(tenant=tenant, register_ls_id=1, register_number=1)
    SameSystemRegister.objects.create(tenant=tenant, register_ls_id=3, register_number=2)
    return tenant


class Sales:
    """Writes mirror sales: `add(at, lines=[(quantity, unit price, line discount, VAT rate)], ...)`."""

    def __init__(self, tenant):
        self.tenant, self.next_id, self.next_line = tenant, 1000, 50000

    def add(self, at, lines, *, shop=1, register=1, voided=False, completed=True):
        self.next_id += 1
        at = at if at.tzinfo else at.replace(tzinfo=CPH)
        sale = Sale.objects.create(tenant=self.tenant, ls_id=self.next_id, shop_ls_id=shop, register_ls_id=register,
                                   completed=completed, voided=voided, complete_time=at,
                                   is_refund=all(q < 0 for q, *_ in lines))
        for quantity, unit_price, discount, rate in lines:
            self.next_line += 1
            unit_price, discount, rate = Decimal(unit_price), Decimal(discount), Decimal(rate)
            subtotal = unit_price * quantity - discount
            tax = (subtotal * rate).quantize(Decimal("0.01"))
            SaleLine.objects.create(tenant=self.tenant, sale=sale, ls_id=self.next_line, quantity=quantity,
                                    unit_price=unit_price, discount=discount, subtotal=subtotal, tax=tax,
                                    total=subtotal + tax)
        return sale


@pytest.fixture
def sales(tenant):
    return Sales(tenant)


def local(*args):
    return datetime(*args, tzinfo=CPH)
