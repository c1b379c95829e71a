from io import StringIO

from channels.miinto.demo import DEMO_LIGHTSPEED_SHOP, demo_seed
from channels.miinto.models import MiintoSettings, MiintoShop
from channels.miinto.sandbox import MiintoSandbox


def test_demo_seed_puts_the_demo_tenant_on_the_sandbox_channel_once(tenant, settings):
    settings.MIINTO_AUTH_URL = "http://127.0.0.1:8102"
    demo_seed(tenant=tenant, stdout=StringIO())
    demo_seed(tenant=tenant, stdout=StringIO())
    sandbox = MiintoSandbox()
    config = MiintoSettings.objects.for_tenant(tenant).get()
    assert config.enabled and (config.identifier, config.secret) == (sandbox.identifier, sandbox.secret)
    shops = MiintoShop.objects.for_tenant(tenant)
    assert sorted(shops.values_list("shop_id", flat=True)) == sorted(sandbox.shop_ids)
    assert set(shops.values_list("lightspeed_shop_ls_id", flat=True)) == {DEMO_LIGHTSPEED_SHOP}


def test_demo_seed_never_points_at_a_real_miinto(tenant, settings):
    settings.MIINTO_AUTH_URL = "https://api-auth.miinto.net"
    out = StringIO()
    assert demo_seed(tenant=tenant, stdout=out) is None
    assert not MiintoSettings.objects.for_tenant(tenant).exists() and "skipped" in out.getvalue()
