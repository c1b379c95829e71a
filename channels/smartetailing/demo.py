"""Demo data (`manage.py demo_seed`): the demo tenant sells on the SmartEtailing sandbox's demo merchant.

Only against a sandbox on loopback. Lightspeed shop 1 is mapped to the sandbox's first location, shop 2
(when the mirror has it) to the second; orders are exported, POS pricing uses the "Default" level.
"""
from django.conf import settings

from connector.sandbox_server import is_loopback
from lightspeed.models import PriceLevel, Shop

from .models import SmartEtailingLocation, SmartEtailingSettings
from .sandbox import SmartEtailingSandbox


def demo_seed(*, tenant, stdout):
    if not is_loopback(settings.SMARTETAILING_ORDER_URL):
        stdout.write("smartetailing: SMARTETAILING_ORDER_URL is not a local sandbox; demo channel skipped")
        return None
    sandbox = SmartEtailingSandbox()  # the demo merchant's credentials are deterministic (seed 1)
    config, _ = SmartEtailingSettings.objects.for_tenant(tenant).get_or_create(tenant=tenant)
    config.merchant_id, config.url_key = sandbox.merchant, sandbox.url_key
    config.ftp_account, config.ftp_password = sandbox.ftp_user, sandbox.ftp_password
    config.export_orders = config.enabled = True
    level = PriceLevel.objects.for_tenant(tenant).filter(name__iexact="default").first()
    if level:
        config.pos_pricing, config.regular_price_level_ls_id = True, level.ls_id
    config.save()
    shops = list(Shop.objects.for_tenant(tenant).filter(archived=False).order_by("ls_id"))
    for shop, name in zip(shops, sandbox.locations):
        SmartEtailingLocation.objects.for_tenant(tenant).update_or_create(
            tenant=tenant, lightspeed_shop_ls_id=shop.ls_id, defaults={"neighborhood_descriptor": name})
    stdout.write(f"smartetailing: demo tenant sells on sandbox merchant {sandbox.merchant} "
                 f"({min(len(shops), len(sandbox.locations))} locations connected)")
    return config
