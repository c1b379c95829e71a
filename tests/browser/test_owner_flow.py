"""The store owner's whole journey in a real browser (headless Chromium from Debian, via Playwright).

sign up → connect Lightspeed through the sandbox's approval page → choose shop, register, employee →
Miinto settings: a validation error, a wrong secret refused on save, "Test connection", saved → switch Miinto
on → run the catalog sync now and watch it finish → a pause (the secret changed) and its resume (saving the
fix; the Resume button) → every page at 360 px without sideways scroll → copy the feed URL and fetch it →
an imported Miinto order (no Retry on a healthy one) and its page. A screenshot of each page goes to
artifacts/browser/ (gitignored).
"""
import csv
import io
import re

import httpx
import pytest
from playwright.sync_api import expect

from connector.registry import all_jobs

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def has_job(name):
    return any(job.name == name for job in all_jobs())


def lightspeed_oauth_available():
    try:
        from lightspeed.selectors import connection_health  # noqa: F401
        from lightspeed.services import connection_authorize_url, connection_complete  # noqa: F401
    except ImportError:
        return False
    return has_job("lightspeed.catalog_sync") and has_job("lightspeed.reference_sync")


@pytest.fixture
def sandboxes(live_server, serve, settings):
    from channels.miinto.sandbox import MiintoSandbox
    from lightspeed.sandbox import LightspeedSandbox

    callback = f"{live_server.url}/lightspeed/callback/"
    ls = LightspeedSandbox(items=40, shops=2, registers=3, seed=7, redirect_uri=callback)
    ls_served = serve(ls.wsgi_app)
    settings.LIGHTSPEED_API_URL = settings.LIGHTSPEED_AUTH_URL = ls_served.url
    settings.LIGHTSPEED_CLIENT_ID, settings.LIGHTSPEED_CLIENT_SECRET = ls.client_id, ls.client_secret
    settings.LIGHTSPEED_REDIRECT_URI = callback
    miinto = MiintoSandbox()  # the real clock: request signatures carry timestamps
    miinto_served = serve(miinto.wsgi_app)
    settings.MIINTO_AUTH_URL = settings.MIINTO_ORDER_URL = miinto_served.url
    return ls, miinto


def nav(page, name):
    page.get_by_role("navigation", name="Main").get_by_role("link", name=name, exact=True).click()


def run_and_wait(page, job):
    """Press "Run now" for `job` and watch the live status until the run ends; returns its final state."""
    page.locator(f'button[data-run-job="{job}"]').first.click()
    status = page.locator(f"#run-status-{job.replace('.', '')}")
    expect(status).to_have_attribute("data-state", re.compile("running|queued|succeeded|partial|failed"))
    expect(status).to_have_attribute("data-state", re.compile("succeeded|partial|failed"), timeout=60_000)
    state = status.get_attribute("data-state")
    if state == "failed":
        from connector.models import SyncEvent, SyncRun

        run = SyncRun.unscoped.filter(job=job).latest("started_at")
        events = list(SyncEvent.unscoped.filter(run=run).values_list("message", flat=True)[:5])
        raise AssertionError(f"{job} failed: {run.error} {events}")
    return state


def test_api_docs_sign_out_and_password_reset(live_server, browser_page, shoot):
    """The docs page renders from local assets; sign out; ask for a password reset."""
    from tests.isolation import member_create

    member = member_create(slug="docs-shop")
    page, base = browser_page, live_server.url
    page.goto(f"{base}/login/")
    page.get_by_label("Email").fill(member.user.username)
    page.get_by_label("Password").fill("pw-docs-shop")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    page.goto(f"{base}/api/docs/")
    expect(page.locator(".swagger-ui .information-container")).to_be_visible()
    shoot("api-docs")
    page.goto(f"{base}/")
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_label("Email").fill(member.user.email)
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    shoot("password-reset-sent")


def test_owner_journey(live_server, sandboxes, browser_page, shoot, mailoutbox):
    ls, miinto = sandboxes
    page, base = browser_page, live_server.url

    # Sign up, then confirm by the mailed link
    page.goto(f"{base}/signup/")
    shoot("sign-up")
    page.get_by_label("Shop name").fill("Nordic Shoes")
    page.get_by_label("Email").fill("owner@nordic.example")
    page.get_by_label("Password").fill("a-long-pass-phrase-1")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    page.goto(re.search(r"https?://\S+/signup/confirm/\S+/", mailoutbox[-1].body).group(0))
    page.get_by_role("button", name="Create my shop").click()
    expect(page.get_by_role("heading", name="Set up your connector")).to_be_visible()
    expect(page.locator("text=4 of 4 steps left")).to_be_visible()
    shoot("onboarding")

    # Connect Lightspeed through the sandbox's approval page
    assert lightspeed_oauth_available(), "lightspeed.services' OAuth flow or the lightspeed jobs are missing"
    nav(page, "Lightspeed")
    shoot("lightspeed-not-connected")
    page.get_by_role("button", name="Connect Lightspeed").click()
    expect(page.locator("#approve")).to_be_visible()
    shoot("sandbox-approval-page")
    page.locator("#approve").click()
    expect(page.get_by_role("heading", name="Shop, register and employee")).to_be_visible()
    expect(page.locator("text=Lightspeed is connected. Now choose")).to_be_visible()

    # The reference data arrives with the first sync; start it from the Lightspeed page and watch it
    nav(page, "Lightspeed")
    expect(page.locator('[data-health="connected"]')).to_be_visible()
    run_and_wait(page, "lightspeed.reference_sync")
    shoot("lightspeed-connected")

    # Choose shop, register and employee
    page.goto(f"{base}/lightspeed/mappings/")
    page.locator('select[name="shop_ls_id"]').select_option(index=1)
    register = page.locator('select[name="register_ls_id"]')  # listed with their shop: "Miinto — Main shop"
    register.select_option(register.locator("option", has_text="Miinto").first.get_attribute("value"))
    page.locator('select[name="employee_ls_id"]').select_option(index=1)
    shoot("choose-shop-register-employee")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator("text=Saved: channel orders go to")).to_be_visible()

    # Miinto: settings (with a validation error first), then switch on
    nav(page, "Miinto")
    page.get_by_label("Currency of the feed prices").fill("kr")
    page.get_by_role("button", name="Save settings").click()
    expect(page.locator("text=three-letter currency code")).to_be_visible()
    shoot("miinto-settings-error")
    page.get_by_label("Currency of the feed prices").fill("DKK")
    page.get_by_label("Miinto channel identifier").fill(miinto.identifier)
    page.locator('input[name="shops-0-shop_id"]').fill(miinto.shop_ids[0])
    page.locator('select[name="shops-0-country"]').select_option("DK")
    page.locator('select[name="shops-0-lightspeed_shop_ls_id"]').select_option(index=1)
    # A wrong secret is refused on save: nothing is saved, the secret field says why
    page.get_by_label("Miinto channel secret").fill("not-the-secret")
    page.get_by_role("button", name="Save settings").click()
    expect(page.locator("text=Miinto refused this channel identifier and secret")).to_be_visible()
    shoot("miinto-wrong-secret-refused")
    # "Test connection" with the right one answers in place, still without saving
    page.get_by_label("Miinto channel secret").fill(miinto.secret)
    page.locator('button[data-test-connection="miinto"]').click()
    expect(page.locator('#test-result-miinto[data-test-ok="yes"]')).to_be_visible()
    shoot("miinto-test-connection-ok")
    page.get_by_label("Miinto channel secret").fill(miinto.secret)
    page.get_by_role("button", name="Save settings").click()
    expect(page.locator("text=Miinto settings saved")).to_be_visible()
    page.get_by_role("button", name="Switch Miinto on").click()
    expect(page.locator('[data-channel="on"]')).to_be_visible()
    shoot("miinto-on")

    # Dashboard: run the catalog sync now and watch it finish
    nav(page, "Dashboard")
    run_and_wait(page, "lightspeed.catalog_sync")
    # the finished run refreshes the checklist, the chart and the channel's card in place
    expect(page.locator("#setup-left")).not_to_contain_text("First catalog sync done")
    expect(page.locator("#chart")).to_contain_text("Total: 2 runs")
    catalog_row = page.locator("#card-facts-lightspeed tr", has_text="items, prices and stock")
    expect(catalog_row).to_contain_text("Succeeded")
    shoot("dashboard-catalog-synced")

    # A pause and its resume: the secret changed on Miinto's side, a run pauses Miinto with the reason
    from channels.miinto.client import channels_forget
    from channels.miinto.models import MiintoSettings

    MiintoSettings.unscoped.update(secret="changed-on-miinto")
    channels_forget()
    nav(page, "Miinto")
    page.locator('button[data-run-job="miinto.orders_import"]').click()
    expect(page.locator('[data-paused="miinto"]')).to_contain_text("Miinto refused", timeout=60_000)
    expect(page.locator('button[data-resume="miinto"]')).to_be_visible()
    # the job table follows the failed run without a reload
    expect(page.locator("#jobs-miinto tr", has_text="Import Miinto orders")).to_contain_text("Failed")
    shoot("miinto-paused")
    nav(page, "Setup")
    expect(page.locator('[data-step="miinto.paused"]')).to_be_visible()
    expect(page.locator("text=All done")).to_have_count(0)
    nav(page, "Dashboard")
    expect(page.locator("#card-facts-miinto [data-next-run]")).to_contain_text("paused")
    shoot("dashboard-miinto-paused")
    # saving the right secret is the fix: the pause is lifted
    nav(page, "Miinto")
    page.get_by_label("Miinto channel secret").fill(miinto.secret)
    page.get_by_role("button", name="Save settings").click()
    expect(page.locator("text=Miinto settings saved")).to_be_visible()
    expect(page.locator('[data-paused="miinto"]')).to_have_count(0)
    # a pause the owner lifts with the Resume button beside its reason
    from connector.schedules import schedule_pause
    from tenants.models import Tenant

    schedule_pause(tenant=Tenant.objects.get(name="Nordic Shoes"), job="miinto.status_sync",
                   reason="Miinto asked us to wait: try again later.")
    page.reload()
    expect(page.locator('[data-paused="miinto"]')).to_contain_text("try again later")
    page.locator('button[data-resume="miinto"]').click()
    expect(page.locator("text=Miinto resumed")).to_be_visible()
    expect(page.locator('[data-paused="miinto"]')).to_have_count(0)
    shoot("miinto-resumed")

    # 360 px: no page scrolls sideways
    page.set_viewport_size({"width": 360, "height": 800})
    for path, name in (("/", "dashboard"), ("/orders/", "orders"), ("/channels/miinto/", "miinto"),
                       ("/setup/", "setup"), ("/runs/", "runs"), ("/lightspeed/mappings/", "mappings")):
        page.goto(base + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, f"{path} scrolls sideways at 360 px"
        shoot(f"{name}-360px")
    page.set_viewport_size({"width": 1280, "height": 900})
    nav(page, "Setup")
    expect(page.locator('[data-step="miinto.feed"]')).not_to_have_class("done")  # Miinto has not fetched yet

    # Copy the feed URL (clipboard API) and fetch it
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base)
    nav(page, "Miinto")
    page.locator('button[data-copy-target="#feed-url"]').click()
    expect(page.locator("#copy-status")).to_have_text("Copied to the clipboard.")
    feed_url = page.evaluate("navigator.clipboard.readText()")
    assert feed_url.startswith(f"{base}/channels/miinto/feed/") and feed_url.endswith(".tsv")
    shoot("miinto-feed-copied")
    feed = httpx.get(feed_url, timeout=30)
    assert feed.status_code == 200
    rows = list(csv.reader(io.StringIO(feed.text), dialect="excel-tab"))
    assert rows[0][:3] == ["id", "gtin", "item_group_id"] and len(rows) > 1
    assert all(len(row) == len(rows[0]) for row in rows)
    nav(page, "Setup")
    expect(page.locator("text=All done")).to_be_visible()
    shoot("setup-all-done")
    nav(page, "Miinto")

    # An imported Miinto order, and its retry
    assert has_job("miinto.orders_import"), "the miinto.orders_import job is missing"
    from lightspeed.models import Item

    ean = Item.unscoped.exclude(ean="").values_list("ean", flat=True).first()
    miinto.add_pending_order(miinto.shop_ids[0], positions=[{"gtin": ean, "quantity": 1, "price": 49900}],
                             customer={"name": "Ida Berg", "email": "ida@example.com", "street": "Vej 1",
                                       "city": "Aarhus", "postcode": "8000", "country": "DK", "phone": "+4512345678"})
    run_and_wait(page, "miinto.orders_import")
    nav(page, "Orders")
    row = page.locator("tbody tr").first
    expect(row).to_contain_text("Miinto")
    expect(row.get_by_role("button", name=re.compile("Retry order"))).to_have_count(0)  # healthy: nothing to retry
    shoot("orders")
    page.locator("tbody tr").first.get_by_role("link").first.click()
    expect(page.get_by_role("heading", name=re.compile("Miinto order"))).to_be_visible()
    expect(page.locator("[data-order-lines]")).to_be_visible()
    expect(page.locator("[data-customer]")).to_contain_text("Ida Berg")
    shoot("order-detail")
