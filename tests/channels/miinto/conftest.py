"""Miinto fixtures: the Miinto sandbox on the test clock, and a tenant with Miinto set up on top of ls_tenant."""
import pytest

from channels.miinto.client import channels_forget
from channels.miinto.models import MiintoSettings, MiintoShop
from channels.miinto.sandbox import MiintoSandbox
from connector.http import transport_overrides
from lightspeed.models import Item


@pytest.fixture
def miinto_sandbox(clock):
    sandbox = MiintoSandbox(clock=clock, seed=1)
    transport_overrides["miinto"] = sandbox.transport()
    channels_forget()
    yield sandbox
    transport_overrides.pop("miinto", None)
    channels_forget()


@pytest.fixture
def miinto_tenant(ls_tenant, miinto_sandbox):
    MiintoSettings.objects.for_tenant(ls_tenant).update_or_create(
        tenant=ls_tenant, defaults={"enabled": True, "identifier": miinto_sandbox.identifier,
                                    "secret": miinto_sandbox.secret, "order_prefix": "MIINTO-"})
    MiintoShop.objects.create(tenant=ls_tenant, shop_id=miinto_sandbox.shop_ids[0], country="DK",
                              lightspeed_shop_ls_id=1)
    return ls_tenant


@pytest.fixture
def eans(miinto_tenant):
    """EANs of active items in the synced mirror, in a stable order."""
    rows = Item.objects.for_tenant(miinto_tenant).filter(archived=False).exclude(ean="").order_by("ls_id")
    return list(rows.values_list("ean", flat=True))
