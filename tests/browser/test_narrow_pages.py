"""Issue 15 §16: at 360 px no owner page scrolls sideways, and the orders table keeps its state and Retry
columns on screen. A screenshot of each page goes to artifacts/browser/."""
import pytest
from django.utils import timezone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH = 360


@pytest.fixture
def signed_in(live_server, browser_page):
    from connector.models import OrderLedger, SyncRun
    from tests.isolation import member_create
    from tests.web.conftest import tenant_data

    member = member_create(slug="narrow-shop")
    data = tenant_data(member.tenant, "NARROW")
    now = timezone.now()
    for n in range(3):
        OrderLedger.objects.for_tenant(member.tenant).create(
            tenant=member.tenant, channel=data["order"].channel, external_id=f"MIINTO-LONG-ORDER-{n:06d}",
            state="failed", last_error="Item with GTIN 5700000000001 is not in the Lightspeed catalog we mirror")
    SyncRun.objects.for_tenant(member.tenant).create(
        tenant=member.tenant, job="lightspeed.catalog_sync", trigger="schedule", status="succeeded",
        started_at=now, heartbeat_at=now, finished_at=now, counts={"items.read": 979, "items.written": 12})
    page = browser_page
    page.set_viewport_size({"width": WIDTH, "height": 800})
    page.goto(f"{live_server.url}/login/")
    page.locator('input[name="username"]').fill(member.user.username)
    page.locator('input[name="password"]').fill("pw-narrow-shop")
    page.locator('button[type="submit"]').click()
    page.wait_for_url(f"{live_server.url}/**")
    return page, live_server.url, data


PAGES = ["/", "/orders/", "/runs/", "/setup/", "/channels/", "/channels/miinto/", "/lightspeed/",
         "/lightspeed/mappings/", "/account/"]


def test_no_page_scrolls_sideways_at_360px(signed_in, shoot):
    page, base, data = signed_in
    wide = {}
    for path in [*PAGES, f"/orders/{data['order'].pk}/", f"/runs/{data['run'].pk}/"]:
        page.goto(base + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        shoot(f"360px-{path.strip('/').replace('/', '-') or 'dashboard'}")
        if width > WIDTH:
            wide[path] = width
    assert not wide, f"pages wider than {WIDTH} px: {wide}"


def test_the_orders_table_keeps_state_and_retry_on_screen(signed_in):
    page, base, _ = signed_in
    page.goto(base + "/orders/")
    row = page.locator("tbody tr").first
    for locator in (row.locator(".badge"), row.get_by_role("button", name="Retry", exact=False)):
        box = locator.first.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= WIDTH, box
