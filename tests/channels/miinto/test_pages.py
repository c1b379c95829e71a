"""Miinto's owner pages and API: settings errors, the feed URL, the switch and "run now" on its feed check."""
import re

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from connector.models import Schedule

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(owner):
    client = APIClient()
    client.force_authenticate(owner.user)
    return client


def test_run_now_queues_the_job_and_the_status_fragment_polls_until_done(owner_client, owner, queued_runs,
                                                                        django_capture_on_commit_callbacks,
                                                                        miinto_sandbox):
    from channels.miinto.models import MiintoSettings
    from connector.services import channel_switch

    MiintoSettings.objects.for_tenant(owner.tenant).create(
        tenant=owner.tenant, identifier=miinto_sandbox.identifier, secret=miinto_sandbox.secret)
    channel_switch(tenant=owner.tenant, channel="miinto", on=True)
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(reverse("run_now", args=["miinto.feed_check"]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-state="queued"' in html and 'hx-trigger="every 1s"' in html
    assert queued_runs and queued_runs[0][0] == [owner.tenant.pk, "miinto.feed_check"]
    after = re.search(r'after=([^"&]+)', html).group(1)
    from connector.runs import run_job

    run_job(tenant=owner.tenant, job="miinto.feed_check", trigger="manual")
    html = owner_client.get(reverse("run_status", args=["miinto.feed_check"]) + f"?after={after}").content.decode()
    assert 'data-state="succeeded"' in html or 'data-state="partial"' in html
    assert "hx-trigger" not in html  # polling stops when the run ended
    response = owner_client.get(reverse("run_status", args=["miinto.feed_check"]) + f"?after={after}")
    assert response["HX-Trigger"] == "run-finished"  # and the dashboard refreshes its other parts


def test_channel_switch_refuses_without_credentials_and_changes_nothing(owner_client, owner):
    response = owner_client.post(reverse("channel_switch", args=["miinto"]), {"on": "1"}, follow=True)
    assert "Miinto stays off" in response.content.decode()
    assert not Schedule.objects.for_tenant(owner.tenant).filter(enabled=True).exists()


def test_channel_switch_on_enables_its_schedules(owner_client, owner, miinto_sandbox):
    from channels.miinto.models import MiintoSettings

    MiintoSettings.objects.for_tenant(owner.tenant).create(
        tenant=owner.tenant, identifier=miinto_sandbox.identifier, secret=miinto_sandbox.secret)
    owner_client.post(reverse("channel_switch", args=["miinto"]), {"on": "1"})
    jobs = set(Schedule.objects.for_tenant(owner.tenant).filter(enabled=True).values_list("job", flat=True))
    assert "miinto.feed_check" in jobs
    assert MiintoSettings.objects.for_tenant(owner.tenant).get().enabled
    owner_client.post(reverse("channel_switch", args=["miinto"]), {"on": "0"})
    assert not Schedule.objects.for_tenant(owner.tenant).filter(enabled=True).exists()


def test_miinto_settings_errors_say_how_to_fix(owner_client):
    response = owner_client.post(reverse("miinto:settings"), {
        "identifier": "x", "feed_currency": "dk", "order_prefix": "has space", "unfulfillable_policy": "decline",
        "void_policy": "decline"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "three-letter currency code" in html and "Nothing was saved" in html


def test_miinto_feed_url_rotates(owner_client, owner):
    html = owner_client.get(reverse("miinto:settings")).content.decode()
    old = re.search(r'id="feed-url" class="feed-url" value="([^"]+)"', html).group(1)
    owner_client.post(reverse("miinto:feed_rotate"))
    html = owner_client.get(reverse("miinto:settings")).content.decode()
    new = re.search(r'id="feed-url" class="feed-url" value="([^"]+)"', html).group(1)
    assert old != new and new.startswith("http://testserver/channels/miinto/feed/")
    assert owner_client.get(old.replace("http://testserver", "")).status_code == 404


def test_miinto_page_shows_each_shops_feed_and_the_last_fetch(owner_client, owner):
    from channels.miinto.models import MiintoShop

    MiintoShop.objects.for_tenant(owner.tenant).create(tenant=owner.tenant, shop_id="1-m!i!s-046-9", country="SE")
    html = owner_client.get(reverse("miinto:settings")).content.decode()
    assert "Not fetched yet." in html and "SE: <code>http://testserver/channels/miinto/feed/" in html
    feed_url = re.search(r'id="feed-url" class="feed-url" value="([^"]+)"', html).group(1)
    owner_client.logout()
    response = owner_client.get(feed_url.replace("http://testserver", ""), HTTP_USER_AGENT="Miinto-Fetcher/2")
    assert response.status_code == 200
    owner_client.force_login(owner.user)
    html = owner_client.get(reverse("miinto:settings")).content.decode()
    assert "Last fetched" in html and "HTTP 200, Miinto-Fetcher/2" in html




def test_miinto_settings_read_and_change(api, owner):
    from channels.miinto.models import MiintoShop
    from channels.miinto.services import miinto_settings_update

    miinto_settings_update(tenant=owner.tenant, identifier="MINE-IDENT", secret="MINE-SECRET")
    MiintoShop.objects.for_tenant(owner.tenant).create(tenant=owner.tenant, shop_id="MINE-MSHOP", country="DK")
    body = api.get("/api/channels/miinto/settings/").json()
    assert body["identifier"] == "MINE-IDENT" and body["has_secret"] is True and "secret" not in body
    assert body["shops"] == [{"shop_id": "MINE-MSHOP", "country": "DK", "lightspeed_shop_ls_id": None}]
    bad = api.patch("/api/channels/miinto/settings/", {"feed_currency": "kr"}, format="json")
    assert bad.status_code == 400 and "three-letter" in str(bad.json())
    ok = api.patch("/api/channels/miinto/settings/", {"feed_currency": "sek"}, format="json")
    assert ok.status_code == 200 and ok.json()["feed_currency"] == "SEK"
    assert "register_ls_id" not in ok.json()  # the point-of-sale choice is Lightspeed's


def test_channel_switch_and_feed_rotate(api, owner, miinto_sandbox):
    from channels.miinto.services import miinto_settings_update

    miinto_settings_update(tenant=owner.tenant, identifier=miinto_sandbox.identifier, secret=miinto_sandbox.secret)
    body = api.post("/api/channels/miinto/switch/", {"on": True}, format="json").json()
    assert body["enabled"] is True
    old = api.get("/api/channels/miinto/feed/").json()["feed_url"]
    new = api.post("/api/channels/miinto/feed/").json()["feed_url"]
    assert old != new and new.endswith(".tsv")


def test_members_cannot_rotate_the_feed(client, owner):
    from django.contrib.auth import get_user_model

    from tenants.models import Membership

    user = get_user_model().objects.create_user(username="m@shop-a.example", email="m@shop-a.example", password="pw")
    Membership.objects.create(user=user, tenant=owner.tenant, role="member")
    client.force_login(user)
    assert client.post(reverse("miinto:feed_rotate")).status_code == 403
    html = client.get(reverse("miinto:settings")).content.decode()
    assert "Switch Miinto on</button>" not in html and "Replace the address" not in html
