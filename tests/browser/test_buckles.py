"""The owner's Buckles page in a real browser, against the Buckles sandbox on loopback (PROVISIONAL contract,
docs/buckles.md): settings with an error, the status mapping table, shops, switch on, a signed event arriving
through the webhook, and the sandbox's control page. A screenshot of each step goes to artifacts/browser/."""
import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.provisional, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def buckles(live_server, serve, settings):
    from channels.buckles.sandbox import BucklesSandbox

    sandbox = BucklesSandbox()  # the real clock: webhook signatures carry timestamps
    settings.BUCKLES_API_URL = serve(sandbox.wsgi_app).url
    return sandbox


def test_provisional_buckles_page_status_table_and_a_webhook(live_server, buckles, browser_page, shoot):
    from channels.buckles.models import BucklesEvent, BucklesSettings
    from lightspeed.models import Shop
    from tests.isolation import member_create

    member = member_create(slug="buckles-shop")
    Shop.objects.create(tenant=member.tenant, ls_id=1, name="Main street")
    page, base = browser_page, live_server.url
    page.goto(f"{base}/login/")
    page.get_by_label("Email").fill(member.user.username)
    page.get_by_label("Password").fill("pw-buckles-shop")
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{base}/channels/buckles/")
    expect(page.get_by_role("heading", name="Buckles", exact=True)).to_be_visible()
    expect(page.locator('tr[data-state="completed_not_shipped"] select')).to_have_value("processing")
    shoot("buckles-new")

    page.get_by_label("Currency").fill("E1R")
    page.get_by_role("button", name="Save settings").click()
    expect(page.locator("text=three-letter currency code")).to_be_visible()
    shoot("buckles-settings-error")

    page.get_by_label("Buckles account").fill(buckles.account)
    page.get_by_label("Connection token").fill(buckles.token)
    page.get_by_label("Webhook secret").fill(buckles.webhook_secret)
    page.get_by_label("Currency").fill("EUR")
    page.locator('select[name="shops-0-lightspeed_shop_ls_id"]').select_option("1")
    page.locator('tr[data-state="open"] select').select_option("on_hold")
    page.locator('tr[data-state="voided"] select').select_option("")
    page.get_by_role("button", name="Save settings").click()
    expect(page.locator("text=Buckles settings saved.")).to_be_visible()
    expect(page.locator('tr[data-state="open"] select')).to_have_value("on_hold")
    shoot("buckles-status-table-saved")
    settings = BucklesSettings.objects.for_tenant(member.tenant).get()
    assert settings.status_map["open"] == "on_hold" and settings.status_map["voided"] == ""

    page.get_by_role("button", name="Switch Buckles on").click()
    expect(page.locator("text=Sales, stock, products").first).to_be_visible()
    shoot("buckles-on")

    buckles.webhook_url = page.locator("#webhook-url").input_value()
    assert buckles.webhook_url.startswith(f"{base}/channels/buckles/webhook/")
    buckles.emit("stock.changed", {"sku": "EXT-1-001", "quantity": 4})
    buckles.emit("stock.changed", {"sku": "EXT-1-002", "quantity": 4}, mode="bad_signature")
    assert [d["status"] for d in buckles.deliveries] == [200, 401]
    assert BucklesEvent.objects.for_tenant(member.tenant).count() == 1
    page.reload()
    expect(page.locator("#events-h + table")).to_contain_text("stock.changed")
    shoot("buckles-event-received")

    page.goto(buckles_url())
    expect(page.locator("text=Emit stock.changed")).to_be_visible()
    shoot("buckles-sandbox-control")


def buckles_url():
    from django.conf import settings

    return f"{settings.BUCKLES_API_URL}/sandbox/"
