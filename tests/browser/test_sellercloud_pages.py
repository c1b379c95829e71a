"""The Sellercloud page in a real browser: Test connection refuses a wrong password and saves the right one,
"Re-download shops and warehouses", the shops mapping, the seed's switches, and switching the channel on.
Screenshots go to artifacts/browser/."""
import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def sellercloud(serve, settings):
    from channels.sellercloud.sandbox import SellercloudSandbox

    sandbox = SellercloudSandbox()
    settings.SELLERCLOUD_API_URL = f"{serve(sandbox.wsgi_app).url}/rest"
    return sandbox


def test_sellercloud_setup(live_server, sellercloud, browser_page, shoot):
    from lightspeed.models import Employee, Register, Shop
    from tests.isolation import member_create

    member = member_create(slug="sc-shop")
    tenant = member.tenant
    Shop.objects.create(tenant=tenant, ls_id=1, name="Downtown")
    Register.objects.create(tenant=tenant, ls_id=11, name="Front desk", shop_ls_id=1)
    Employee.objects.create(tenant=tenant, ls_id=7, first_name="Pat")
    page, base = browser_page, live_server.url
    page.goto(f"{base}/login/")
    page.get_by_label("Email").fill(member.user.username)
    page.get_by_label("Password").fill("pw-sc-shop")
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{base}/channels/sellercloud/")
    expect(page.get_by_role("heading", name="Sellercloud", exact=True)).to_be_visible()
    shoot("sellercloud-new")

    page.get_by_label("Username").fill(sellercloud.username)
    page.get_by_label("Password", exact=True).fill("wrong")
    page.get_by_label("Company id").fill(str(sellercloud.company_id))
    page.get_by_role("button", name="Test connection").click()
    expect(page.get_by_text("Sorry, invalid username or password")).to_be_visible()
    shoot("sellercloud-login-refused")

    page.get_by_label("Password", exact=True).fill(sellercloud.password)
    page.get_by_role("button", name="Test connection").click()
    expect(page.get_by_text("Connected to Sellercloud: company Sandbox Retail")).to_be_visible()

    page.get_by_role("button", name="Re-download shops and warehouses").click()
    expect(page.get_by_text("Downloaded 3 Sellercloud warehouses")).to_be_visible()
    page.get_by_label("Main Warehouse").check()
    page.locator('select[name="map-shop-1-employee"]').select_option("7")
    page.locator('select[name="map-shop-1-register"]').select_option("11")
    page.get_by_role("button", name="Save shops mapping").click()
    expect(page.get_by_text("Shops mapping saved.")).to_be_visible()

    page.get_by_label("Enable Price Upload").check()
    page.get_by_label("Returns Warehouse").select_option(label="Returns")
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_text("Sellercloud settings saved.")).to_be_visible()
    page.get_by_role("button", name="Switch Sellercloud on").click()
    expect(page.locator('[data-channel="on"]')).to_be_visible()
    expect(page.get_by_label("Enable Price Upload")).to_be_checked()
    shoot("sellercloud-on")
