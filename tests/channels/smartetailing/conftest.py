"""SmartEtailing fixtures: the sandbox on the test clock (order service routed by transport, POS FTP a real
server on a free loopback port), and a tenant with SmartEtailing set up on top of ls_tenant."""
import pytest

from channels.smartetailing.models import SmartEtailingLocation, SmartEtailingSettings
from channels.smartetailing.sandbox import SmartEtailingSandbox
from connector.http import transport_overrides

FEED = "http://shop.example/webservices/xml/feeds.cfc"


@pytest.fixture
def se_sandbox(clock):
    sandbox = SmartEtailingSandbox(clock=clock, seed=1)
    transport_overrides["smartetailing"] = sandbox.transport()
    yield sandbox
    transport_overrides.pop("smartetailing", None)
    sandbox.ftp_stop()


@pytest.fixture
def ftp_port(se_sandbox):
    return se_sandbox.ftp_start(0)


def configure(tenant, sandbox, ftp_port=None, **fields):
    defaults = {"merchant_id": sandbox.merchant, "url_key": sandbox.url_key, "ftp_account": sandbox.ftp_user,
                "ftp_password": sandbox.ftp_password, "ftp_host": f"127.0.0.1:{ftp_port or 1}", "enabled": True,
                "export_orders": True, "order_service_url": "http://shop.example", **fields}
    config, _ = SmartEtailingSettings.objects.for_tenant(tenant).update_or_create(tenant=tenant, defaults=defaults)
    return config


@pytest.fixture
def se_tenant(ls_tenant, se_sandbox, ftp_port):
    """Lightspeed shop 1 -> "Newport, KY"; shop 2 stays unmapped."""
    configure(ls_tenant, se_sandbox, ftp_port)
    SmartEtailingLocation.objects.create(tenant=ls_tenant, lightspeed_shop_ls_id=1,
                                         neighborhood_descriptor=se_sandbox.locations[0])
    return ls_tenant


LS_ITEMS_SEED = (1, 40)  # the Lightspeed sandbox of tests.channels.conftest.ls_sandbox: seed 1, 40 items
