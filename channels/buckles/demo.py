"""Demo data (`manage.py demo_seed`): the demo tenant syncs with the Buckles sandbox's demo account.

Only against a Buckles sandbox on loopback. Lightspeed shop 1 (the Lightspeed sandbox's first shop) is mapped
to Buckles' default stock location; the sandbox delivers its events to the demo tenant's webhook URL when it is
started with `--webhook-url` (the demo prints the URL).
"""
from django.conf import settings
from django.urls import reverse

from connector.sandbox_server import is_loopback

from .models import BucklesSettings, BucklesShop
from .sandbox import BucklesSandbox

DEMO_LIGHTSPEED_SHOP = 1


def demo_seed(*, tenant, stdout):
    if not is_loopback(settings.BUCKLES_API_URL):
        stdout.write("buckles: BUCKLES_API_URL is not a local sandbox; demo channel skipped")
        return None
    sandbox = BucklesSandbox()  # the demo account's credentials are deterministic (seed 1)
    config, _ = BucklesSettings.objects.for_tenant(tenant).get_or_create(tenant=tenant)
    config.account, config.api_token, config.webhook_secret = sandbox.account, sandbox.token, sandbox.webhook_secret
    config.enabled = True
    config.save()
    BucklesShop.objects.for_tenant(tenant).update_or_create(
        tenant=tenant, lightspeed_shop_ls_id=DEMO_LIGHTSPEED_SHOP, defaults={"location": ""})
    url = reverse("buckles:webhook", args=[config.webhook_token])
    stdout.write(f"buckles: demo tenant syncs with sandbox account {sandbox.account}; webhook path {url}")
    return config
