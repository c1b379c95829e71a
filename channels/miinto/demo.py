"""Demo data (`manage.py demo_seed`): the demo tenant sells on the Miinto sandbox's demo channel.

Only against a Miinto sandbox on loopback. The Miinto shops are mapped to Lightspeed shop 1 (the
sandbox's first shop); register and employee default to the ones named "Miinto" (see selectors).
"""

from django.conf import settings

from connector.sandbox_server import is_loopback

from .models import MiintoSettings, MiintoShop
from .sandbox import MiintoSandbox

DEMO_LIGHTSPEED_SHOP = 1


def demo_seed(*, tenant, stdout):
    if not is_loopback(settings.MIINTO_AUTH_URL):
        stdout.write("miinto: MIINTO_AUTH_URL is not a local sandbox; demo channel skipped")
        return None
    sandbox = MiintoSandbox()  # the demo channel's credentials are deterministic (seed 1)
    config, _ = MiintoSettings.objects.for_tenant(tenant).get_or_create(tenant=tenant)
    config.identifier, config.secret, config.enabled = sandbox.identifier, sandbox.secret, True
    config.save()
    for shop_id in sandbox.shop_ids:
        MiintoShop.objects.for_tenant(tenant).update_or_create(
            tenant=tenant, shop_id=shop_id,
            defaults={"country": sandbox.shop_countries[shop_id], "lightspeed_shop_ls_id": DEMO_LIGHTSPEED_SHOP},
        )
    shops = len(sandbox.shop_ids)
    stdout.write(f"miinto: demo tenant sells on the sandbox channel {sandbox.identifier} ({shops} shops)")
    return config


def sandbox_offered():
    """The demo's settings page offers the sandbox's demo channel: only when Miinto is a sandbox on loopback."""
    return not settings.PRODUCTION and is_loopback(settings.MIINTO_AUTH_URL) and is_loopback(settings.MIINTO_ORDER_URL)


def sandbox_channel():
    """The sandbox's demo channel: {identifier, secret, shops: [(shop id, country)]} (deterministic, seed 1)."""
    sandbox = MiintoSandbox()
    return {"identifier": sandbox.identifier, "secret": sandbox.secret,
            "shops": [(shop_id, sandbox.shop_countries[shop_id]) for shop_id in sandbox.shop_ids]}
