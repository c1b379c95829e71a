"""The SameSystem page in a real browser: API user, Test connection, departments / registers / fields mapping,
the unmapped list, switch on, a historical import with its progress bar, a cancelled one, and the days sent.
Screenshots go to artifacts/browser/."""
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from tests.channels.samesystem.conftest import Sales, local, make_shops

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def samesystem(serve, settings):
    from channels.samesystem.sandbox import SameSystemSandbox

    sandbox = SameSystemSandbox()
    settings.SAMESYSTEM_API_URL = serve(sandbox.wsgi_app).url + "/api/v1"
    return sandbox


def sign_in(page, base, member):
    page.goto(f"{base}/login/")
    page.get_by_label("Username").fill(member.user.username)
    page.get_by_label("Password").fill("pw-sam-shop")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()


def test_samesystem_setup_import_and_progress(live_server, samesystem, browser_page, shoot):
    from tests.isolation import member_create

    member = member_create(slug="sam-shop")
    tenant = make_shops(member.tenant)
    yesterday = date.today() - timedelta(days=1)
    sales = Sales(tenant)
    for n in range(1, 6):
        day = yesterday - timedelta(days=n)
        sales.add(local(day.year, day.month, day.day, 11), [(2, "100.00", "10.00", "0.25")], register=1)
        sales.add(local(day.year, day.month, day.day, 15), [(1, "40.00", "0", "0.25")], shop=2, register=2)
    page, base = browser_page, live_server.url
    sign_in(page, base, member)
    page.goto(f"{base}/channels/samesystem/")
    expect(page.get_by_role("button", name="Switch SameSystem on")).to_be_visible()
    shoot("samesystem-new")

    page.get_by_label("API user's email").fill(samesystem.email)
    page.get_by_label("Password", exact=True).fill(samesystem.password)
    page.get_by_role("button", name="Save settings").click()
    expect(page.locator("text=SameSystem settings saved")).to_be_visible()
    page.get_by_role("button", name="Test connection").click()
    expect(page.locator("text=The API user sees 3 department(s)")).to_be_visible()
    shoot("samesystem-connected")

    page.get_by_label("Main Street (101)").select_option(label="Strøget")
    page.get_by_label("Harbour (102)").select_option(label="Havnen")
    for figure, field in (("Gross sales", "5266 Gross sales"), ("Net sales", "5267 Net sales"),
                          ("Transactions", "5270 Transactions")):
        page.get_by_label(figure, exact=True).select_option(label=field)
    page.get_by_role("button", name="Save settings").click()
    expect(page.locator("#unmapped")).to_contain_text("Lightspeed register “Till 1” has no SameSystem register number")
    shoot("samesystem-registers-unmapped")
    page.get_by_label("Till 1 (Main Street)").select_option(label="#1")
    page.get_by_label("Till 2 (Main Street)").select_option(label="#2")
    page.get_by_role("button", name="Save settings").click()
    expect(page.locator("#unmapped")).to_contain_text("Every Lightspeed shop and register is mapped")
    page.get_by_role("button", name="Switch SameSystem on").click()
    expect(page.locator('[data-channel="on"]')).to_be_visible()
    shoot("samesystem-on")

    page.get_by_label("From (first day)").fill((yesterday - timedelta(days=6)).isoformat())
    page.get_by_label("Until (last day)").fill(yesterday.isoformat())
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.locator("text=Historical import of 7 days queued")).to_be_visible()
    # the import runs in a worker thread; the progress card polls itself until it is done
    expect(page.locator(".import").first).to_contain_text("7 of 7 days", timeout=30_000)
    expect(page.locator(".import progress").first).to_have_attribute("value", "7")
    expect(page.locator("#days-h")).to_be_visible()
    shoot("samesystem-import-done")
    gross = samesystem.balance("c1d10", 1, yesterday - timedelta(days=1))["lines"][5266]
    assert gross == 250.0  # VAT included (the default): total 237.50 + the discount's 12.50

    from channels.samesystem.models import SameSystemImport

    job = SameSystemImport.objects.for_tenant(tenant).create(tenant=tenant, department_ids=[], days_total=90,
                                                              days_done=40, state="running",
                                                              date_from=yesterday - timedelta(days=89),
                                                              date_to=yesterday)
    page.reload()
    expect(page.locator(f'[data-import="{job.pk}"] progress')).to_have_attribute("value", "40")
    shoot("samesystem-import-progress")
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator(f'[data-import="{job.pk}"]').get_by_role("button", name="Cancel").click()
    expect(page.locator(f'[data-import="{job.pk}"]')).to_contain_text("Cancelled after 40 of 90 days")
    expect(page.locator(f'[data-import="{job.pk}"]').get_by_role("button", name="Cancel")).to_have_count(0)
    shoot("samesystem-import-cancelled")
