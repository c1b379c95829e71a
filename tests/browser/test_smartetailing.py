"""The SmartEtailing page in a real browser: credentials with "Test connection" (one check failing, then
both passing), the store mapping with preview counts, saving, switching on, an inventory upload run from
the page landing on the sandbox's FTP, and the pending-mappings report. Screenshots in artifacts/browser/."""
import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_owner_flow import run_and_wait

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def smartetailing(serve, settings):
    from channels.smartetailing.sandbox import SmartEtailingSandbox

    sandbox = SmartEtailingSandbox(seed=1)
    settings.SMARTETAILING_ORDER_URL = serve(sandbox.wsgi_app).url
    sandbox.ftp_start(0)
    yield sandbox
    sandbox.ftp_stop()


def mirror(tenant):
    from lightspeed.models import Item, ItemStock, Shop

    for ls_id, name in ((1, "Main Store"), (2, "Shop 2")):
        Shop.unscoped.create(tenant=tenant, ls_id=ls_id, name=name)
    for n in range(1, 7):
        item = Item.unscoped.create(tenant=tenant, ls_id=n, system_sku=f"21{n:010d}", description=f"Tube {n}",
                                    upc=f"01234567{n:04d}" if n % 2 else "", manufacturer_sku=f"T-{n}")
        ItemStock.unscoped.create(tenant=tenant, item=item, item_shop_ls_id=n, shop_ls_id=1, qoh=n % 3)


def test_smartetailing_setup(live_server, smartetailing, browser_page, shoot, mailoutbox):
    from tenants.models import Tenant

    page, base, sb = browser_page, live_server.url, smartetailing
    page.goto(f"{base}/signup/")
    page.get_by_label("Shop name").fill("River Bikes")
    page.get_by_label("Email").fill("owner@river.example")
    page.get_by_label("Password").fill("a-long-pass-phrase-1")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    page.goto(re.search(r"https?://\S+/signup/confirm/\S+/", mailoutbox[-1].body).group(0))
    page.get_by_role("button", name="Create my shop").click()
    expect(page.get_by_role("heading", name="Set up your connector")).to_be_visible()
    mirror(Tenant.objects.get(name="River Bikes"))

    page.goto(f"{base}/channels/smartetailing/")
    expect(page.get_by_role("button", name="Switch SmartEtailing on")).to_be_visible()
    shoot("smartetailing-new")
    page.get_by_label("Merchant id").fill(sb.merchant)
    page.get_by_label("URL key").fill("WRONG-KEY")
    page.get_by_label("POS FTP host").fill(f"127.0.0.1:{sb.ftp.port}")
    page.get_by_label("FTP account number").fill(sb.ftp_user)
    page.get_by_label("FTP password").fill(sb.ftp_password)
    page.get_by_role("button", name="Test connection").click()
    expect(page.locator('[data-check="Order service"][data-ok="0"]')).to_contain_text("refused the merchant id")
    expect(page.locator('[data-check="POS FTP"][data-ok="1"]')).to_be_visible()
    shoot("smartetailing-test-connection-one-failed")

    page.get_by_label("URL key").fill(sb.url_key)
    page.get_by_label("FTP password").fill(sb.ftp_password)
    page.get_by_label("SmartEtailing location of “Main Store”").fill("Newport, KY")
    page.get_by_label("Balance on hand is greater than 0").uncheck()
    page.get_by_role("button", name="Preview item counts").click()
    expect(page.locator('[data-shop="1"]')).to_have_text("6")
    page.get_by_label("Balance on hand is greater than 0").check()
    page.get_by_label("URL key").fill(sb.url_key)
    page.get_by_label("FTP password").fill(sb.ftp_password)
    page.get_by_role("button", name="Preview item counts").click()
    expect(page.locator('[data-shop="1"]')).to_have_text("4")
    shoot("smartetailing-preview")
    page.get_by_label("URL key").fill(sb.url_key)
    page.get_by_label("FTP password").fill(sb.ftp_password)
    page.get_by_role("button", name="Test connection").click()
    expect(page.locator('[data-check="Order service"][data-ok="1"]')).to_be_visible()
    page.get_by_label("URL key").fill(sb.url_key)
    page.get_by_label("FTP password").fill(sb.ftp_password)
    page.get_by_role("button", name="Save settings").click()
    expect(page.locator("text=SmartEtailing settings saved.")).to_be_visible()

    page.get_by_role("button", name="Switch SmartEtailing on").click()
    expect(page.get_by_role("button", name="Switch SmartEtailing off")).to_be_visible()
    run_and_wait(page, "smartetailing.inventory_upload")
    assert len(sb.uploads_last["Newport, KY"]["rows"]) == 4
    page.reload()
    expect(page.locator("text=inventory_Newport%2C%20KY.csv")).to_be_visible()
    shoot("smartetailing-uploaded")

    page.get_by_role("link", name="Items SmartEtailing cannot map").click()
    expect(page.locator('tr[data-missing~="gtin"]')).to_have_count(2)  # items 2 and 4: no UPC/EAN (and maybe more)
    shoot("smartetailing-pending-mappings")
