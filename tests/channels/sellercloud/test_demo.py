"""The demo: `manage.py sandbox sellercloud` prints the login as key: value lines; the demo seed connects the
demo tenant to the sandbox's company with its shops mapped; the sandbox's products share codes with the
Lightspeed sandbox's items, so the first upload links them."""
import io

from channels.sellercloud import demo
from channels.sellercloud.models import SellercloudProduct, SellercloudSettings, SellercloudShop
from channels.sellercloud.sandbox import SellercloudSandbox, server
from connector.runs import run_job


def test_the_sandbox_server_prints_its_login_as_key_value_lines(monkeypatch):
    printed = {}
    monkeypatch.setattr(server, "wsgi_serve", lambda app, *, port, banner, stdout: printed.update(banner=banner))
    server.serve(io.StringIO(), 9151, seed=1)
    lines = dict(line.split(": ", 1) for line in printed["banner"].splitlines() if ": " in line)
    sandbox = SellercloudSandbox(seed=1)
    assert lines["username"] == sandbox.username and lines["password"] == sandbox.password
    assert lines["company_id"] == str(sandbox.company_id)


def test_demo_seed_connects_maps_and_the_first_upload_links_by_upc(ls_tenant, clock):
    from connector.http import transport_overrides
    from tests.channels.conftest import LS_ITEMS

    sandbox = SellercloudSandbox(clock=clock, lightspeed_seed=1, lightspeed_items=LS_ITEMS)
    transport_overrides["sellercloud"] = sandbox.transport()
    try:
        out = io.StringIO()
        demo.demo_seed(tenant=ls_tenant, stdout=out)
        settings = SellercloudSettings.objects.for_tenant(ls_tenant).get()
        assert settings.enabled and settings.company_id == str(sandbox.company_id) and len(settings.warehouses) == 3
        assert SellercloudShop.objects.for_tenant(ls_tenant).get(shop_ls_id=1).warehouse_ids == [1]
        result = run_job(tenant=ls_tenant, job="sellercloud.inventory_upload", clock=clock)
        assert result.status == "succeeded", result.error
        matched = SellercloudProduct.objects.for_tenant(ls_tenant).filter(link="matched").count()
        assert matched >= 20 and result.counts["items_written"] >= 20
    finally:
        transport_overrides.pop("sellercloud", None)
