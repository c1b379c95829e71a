"""The demo tenant is connected to the Lightspeed sandbox by lightspeed/demo.py (demo_seed hook)."""
import io

import pytest
from django.core.management import call_command

from lightspeed.models import Connection, PosChoice
from tenants.models import Tenant
from tests.lightspeed_sandbox import sandbox_routed


@pytest.fixture
def lightspeed_sandbox(clock, settings):
    yield from sandbox_routed(clock, settings, items=20, shops=1, registers=1)


def test_demo_seed_connects_the_demo_tenant_to_the_sandbox_once(db, lightspeed_sandbox):
    out = io.StringIO()
    call_command("demo_seed", stdout=out, stderr=out)
    call_command("demo_seed", stdout=out, stderr=out)
    tenant = Tenant.objects.get(slug="demo")
    connection = Connection.objects.for_tenant(tenant).get()
    assert connection.status == Connection.Status.CONNECTED
    assert connection.account_id == str(lightspeed_sandbox.account_id)
    assert "connected to the sandbox" in out.getvalue() and "already connected" in out.getvalue()


def test_demo_seed_books_channel_orders_on_the_first_shop_register_and_employee(db, lightspeed_sandbox):
    """As the owner's first step would: so the demo's channel orders become sales, not "needs attention"."""
    out = io.StringIO()
    call_command("demo_seed", stdout=out, stderr=out)
    tenant = Tenant.objects.get(slug="demo")
    choice = PosChoice.objects.for_tenant(tenant).get(channel="")
    assert (choice.shop_ls_id, choice.register_ls_id, choice.employee_ls_id) == (1, 1, 1)
    assert "channel orders are booked on" in out.getvalue()


def test_demo_seed_never_connects_to_a_real_lightspeed(db, settings, capsys):
    settings.LIGHTSPEED_AUTH_URL = "https://cloud.lightspeedapp.com"
    call_command("demo_seed")
    assert "not a local sandbox" in capsys.readouterr().out
    assert not Connection.unscoped.exists()
