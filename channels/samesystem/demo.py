"""Demo data (`manage.py demo_seed`): the demo tenant sends its POS figures to the SameSystem sandbox.

Only against a SameSystem sandbox on loopback. Logs in as the sandbox's API user (deterministic, seed 1),
lists its departments, maps them in order to the Lightspeed shops (the registers of a department with
several take numbers 1, 2, … in registerID order), maps each figure to the weekly-balance field of its
name, and puts a week of sales into the Lightspeed mirror of the first shop (marked with the reference
source "samesystem-demo", until the mirror sync fills the tables from the Lightspeed sandbox).
"""
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from connector.sandbox_server import is_loopback
from lightspeed.models import Register, Sale, SaleLine, Shop

from .models import FIGURES, SameSystemRegister
from .sandbox import SameSystemSandbox
from .selectors import departments_all
from .services import departments_map, samesystem_connection_check, samesystem_settings_get_or_create

DEMO_SOURCE = "samesystem-demo"
DEMO_SALE_IDS = 900_000_000


def demo_seed(*, tenant, stdout):
    if not is_loopback(settings.SAMESYSTEM_API_URL):
        stdout.write("samesystem: SAMESYSTEM_API_URL is not a local sandbox; demo channel skipped")
        return None
    sandbox = SameSystemSandbox()  # the API user is deterministic (seed 1)
    config = samesystem_settings_get_or_create(tenant=tenant)
    config.email, config.password, config.enabled, config.auto_confirm = sandbox.email, sandbox.password, True, True
    config.save()
    samesystem_connection_check(tenant=tenant)
    config.refresh_from_db()
    _map(tenant, config)
    sales = _demo_sales(tenant)
    stdout.write(f"samesystem: demo tenant sends to the sandbox as {sandbox.email} "
                 f"({len(departments_all(tenant))} departments, {sales} demo sales in the mirror)")
    return config


def _map(tenant, config):
    shops = list(Shop.objects.for_tenant(tenant).filter(archived=False).order_by("ls_id"))
    departments = sorted(departments_all(tenant), key=lambda d: d.ctx_token)  # SameSystem's order
    departments_map(tenant=tenant, shops={d.pk: (shops[n].ls_id if n < len(shops) else None)
                                          for n, d in enumerate(departments)})
    for department in departments_all(tenant):
        if department.register_count > 1 and department.lightspeed_shop_ls_id:
            registers = Register.objects.for_tenant(tenant).filter(shop_ls_id=department.lightspeed_shop_ls_id,
                                                                  archived=False).order_by("ls_id")
            for number, register in enumerate(registers[:department.register_count], start=1):
                SameSystemRegister.objects.for_tenant(tenant).update_or_create(
                    tenant=tenant, register_ls_id=register.ls_id, defaults={"register_number": number})
    by_name = {f.get("name", "").lower(): f["field_id"] for f in config.fields_seen}
    config.field_map = {key: by_name[label.lower()] for key, label in FIGURES if label.lower() in by_name}
    config.field_map.setdefault("visitors", by_name.get("visitors"))
    config.field_map = {k: v for k, v in config.field_map.items() if v}
    config.save(update_fields=["field_map", "updated_at"])


def _demo_sales(tenant):
    """Three sales a day for the past week on each register of the first shop, one of them a refund."""
    shop = Shop.objects.for_tenant(tenant).filter(archived=False).order_by("ls_id").first()
    if shop is None:
        return 0
    registers = list(Register.objects.for_tenant(tenant).filter(shop_ls_id=shop.ls_id).values_list("ls_id", flat=True))
    Sale.objects.for_tenant(tenant).filter(reference_number_source=DEMO_SOURCE).delete()
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    sale_id = DEMO_SALE_IDS
    for day in range(1, 8):
        for register in registers or [0]:
            for n, (hour, quantity, price) in enumerate(((10, 2, "100.00"), (14, 1, "250.00"), (17, -1, "100.00"))):
                sale_id += 1
                when = now - timedelta(days=day) + timedelta(hours=hour - now.hour)
                _sale(tenant, shop.ls_id, register, sale_id, when, quantity, Decimal(price))
    return sale_id - DEMO_SALE_IDS


def _sale(tenant, shop_ls_id, register_ls_id, sale_id, when, quantity, price):
    subtotal = price * quantity
    discount = Decimal("10.00") if quantity > 1 else Decimal("0")
    subtotal -= discount
    tax = (subtotal * Decimal("0.25")).quantize(Decimal("0.01"))
    sale = Sale.objects.create(tenant=tenant, ls_id=sale_id, shop_ls_id=shop_ls_id, register_ls_id=register_ls_id,
                               completed=True, is_refund=quantity < 0, reference_number_source=DEMO_SOURCE,
                               total=subtotal + tax, subtotal=subtotal, discount=discount, tax=tax,
                               complete_time=when, create_time=when, ls_timestamp=when)
    SaleLine.objects.create(tenant=tenant, sale=sale, ls_id=sale_id, item_ls_id=1, quantity=quantity,
                            unit_price=price, discount=discount, subtotal=subtotal, tax=tax, total=subtotal + tax,
                            create_time=when)
