"""Demo data (`manage.py demo_seed`): the demo tenant sends its sales to the Sellercloud sandbox's company.

Only against a Sellercloud sandbox on loopback. Lightspeed shop 1 takes its stock from the Main Warehouse,
shop 2 (when there is one) from the Store Backroom; returns go to the Returns warehouse. The sandbox's
products share UPCs/EANs with the Lightspeed sandbox's items, so the first upload links them.
"""
from django.conf import settings
from django.utils import timezone

from connector.sandbox_server import is_loopback
from lightspeed.models import Employee, Register, Shop

from .models import SellercloudSettings, SellercloudShop
from .sandbox import SellercloudSandbox

DEMO_WAREHOUSES = {0: [1], 1: [2]}  # n-th Lightspeed shop -> warehouse ids


def demo_seed(*, tenant, stdout):
    if not is_loopback(settings.SELLERCLOUD_API_URL):
        stdout.write("sellercloud: SELLERCLOUD_API_URL is not a local sandbox; demo channel skipped")
        return None
    sandbox = SellercloudSandbox()  # the demo credentials are deterministic (seed 1)
    config, _ = SellercloudSettings.objects.for_tenant(tenant).get_or_create(tenant=tenant)
    config.username, config.password, config.company_id = sandbox.username, sandbox.password, str(sandbox.company_id)
    config.enabled, config.price_upload, config.cost_upload = True, True, True
    config.returns_warehouse_id = sandbox.warehouse_ids["Returns"]
    config.orders_since = config.orders_since or timezone.now()
    # The demo sandbox is deterministic: its warehouses and company address are known without a call.
    config.warehouses = [{"ID": w["ID"], "Name": w["Name"], "IsDefault": w["IsDefault"], "IsSellAble": w["IsSellAble"]}
                         for w in sandbox.warehouses.values()]
    config.company_address = dict(sandbox.companies[sandbox.company_id]["Address"])
    config.save()
    employee = Employee.objects.for_tenant(tenant).filter(archived=False).order_by("ls_id").first()
    for n, shop in enumerate(Shop.objects.for_tenant(tenant).filter(archived=False).order_by("ls_id")[:2]):
        register = Register.objects.for_tenant(tenant).filter(shop_ls_id=shop.ls_id).order_by("ls_id").first()
        SellercloudShop.objects.for_tenant(tenant).update_or_create(
            tenant=tenant, shop_ls_id=shop.ls_id,
            defaults={"warehouse_ids": DEMO_WAREHOUSES[n], "employee_ls_id": employee.ls_id if employee else None,
                      "register_ls_id": register.ls_id if register else None})
    stdout.write(f"sellercloud: demo tenant sends sales to company {sandbox.company_id} as {sandbox.username}")
    return config
