"""The owner's pages render, show clear empty states, and do what their buttons say."""
import dataclasses
import re

import pytest
from django.core import mail
from django.urls import reverse

from connector.models import OrderLedger, Schedule
from connector.channels import CHANNELS, channels_all
from tests.web.conftest import CHANNEL, tenant_data

PAGES = ["dashboard", "onboarding", "channels", "runs", "orders", "lightspeed:mappings", "account",
         *[c.page_url_name for c in channels_all()]]


@pytest.mark.parametrize("name", PAGES)
def test_every_page_renders_for_a_new_tenant(owner_client, name):
    response = owner_client.get(reverse(name))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<label' in html or name in {"dashboard", "onboarding", "channels", "runs", "orders", "lightspeed:connection"}
    assert "cdn" not in html.lower() and "https://" not in html  # every asset is served by the app


def test_empty_states_say_what_to_do(owner_client):
    html = owner_client.get(reverse("dashboard")).content.decode()
    assert "No orders yet" in html
    assert "No runs yet" in html
    assert "4 steps left" in html


def test_pages_need_sign_in(client, db):
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_sign_up_creates_tenant_and_lands_on_checklist(client, db, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(reverse("signup"), {"shop_name": "Nordic Shoes", "email": "Anna@Example.com",
                                               "password": "a-long-pass-phrase", "time_zone": "Europe/Oslo"})
    assert sent.status_code == 200 and "Check your email" in sent.content.decode()
    link = re.search(r"http://testserver(/signup/confirm/\S+/)", mailoutbox[0].body).group(1)
    assert "Create Nordic Shoes" in client.get(link).content.decode()
    response = client.post(link, follow=True)
    assert response.redirect_chain[-1][0] == reverse("onboarding")
    html = response.content.decode()
    assert "Nordic Shoes" in html and "4 of 4 steps left" in html
    from tenants.models import Tenant

    assert Tenant.objects.get(name="Nordic Shoes").time_zone == "Europe/Oslo"


def test_owner_changes_the_time_zone(owner_client, owner):
    owner_client.post(reverse("time_zone"), {"time_zone": "America/New_York"})
    owner.tenant.refresh_from_db()
    assert owner.tenant.time_zone == "America/New_York"
    response = owner_client.post(reverse("time_zone"), {"time_zone": "Mars/Olympus"}, follow=True)
    assert "Choose a time zone from the list" in response.content.decode()
    owner.tenant.refresh_from_db()
    assert owner.tenant.time_zone == "America/New_York"


def test_lightspeed_badge_says_paused_with_the_reason(owner_client, owner):
    tenant_data(owner.tenant, "MINE")
    from django.utils import timezone

    Schedule.objects.for_tenant(owner.tenant).create(
        tenant=owner.tenant, job="lightspeed.catalog_sync", interval_seconds=300, next_run_at=timezone.now(),
        paused_reason="Reconnect Lightspeed: access was revoked.")
    html = owner_client.get(reverse("lightspeed:connection")).content.decode()
    assert 'data-health="paused"' in html and "Reconnect Lightspeed: access was revoked." in html
    assert owner_client.get("/api/connection/").json()["status"] == "paused"


def test_sign_up_errors_say_how_to_fix(client, owner):
    response = client.post(reverse("signup"), {"shop_name": "", "email": owner.user.email, "password": "123"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "This field is required" in html and "too short" in html
    assert "Sign in instead" not in html and "exists" not in html  # never says whether the email has an account


def test_sign_in_and_out(client, owner):
    response = client.post(reverse("login"), {"username": owner.user.username, "password": "pw-shop-a"})
    assert response.status_code == 302 and response["Location"] == reverse("dashboard")
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("dashboard")).status_code == 302


def test_password_reset_mail_has_a_working_link(client, owner):
    client.post(reverse("password_reset"), {"email": owner.user.email})
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/reset/\S+/)", mail.outbox[0].body).group(1)
    response = client.get(link, follow=True)
    assert "Choose a new password" in response.content.decode()
    form_url = response.redirect_chain[-1][0]
    response = client.post(form_url, {"new_password1": "brand-new-pass-77", "new_password2": "brand-new-pass-77"})
    assert response.status_code == 302
    assert client.login(username=owner.user.username, password="brand-new-pass-77")


def test_dashboard_shows_runs_orders_and_chart(owner_client, owner):
    data = tenant_data(owner.tenant, "MINE")
    html = owner_client.get(reverse("dashboard")).content.decode()
    assert "MINE-ORDER" in html and "<svg" in html and "1 run, 1 failed, 7 records" in html
    assert f'action="{reverse("order_retry", args=[data["order"].pk])}"' in html


def test_run_now_for_unknown_job_is_404(owner_client):
    assert owner_client.post(reverse("run_now", args=["nope.job"])).status_code == 404


def test_order_retry_calls_the_channels_retry(owner_client, owner, queued_runs, monkeypatch):
    data = tenant_data(owner.tenant, "MINE")
    calls = []
    channel = CHANNELS[CHANNEL]
    monkeypatch.setitem(CHANNELS, CHANNEL, dataclasses.replace(channel, order_retry=lambda *, order: calls.append(order.pk)))
    response = owner_client.post(reverse("order_retry", args=[data["order"].pk]), follow=True)
    assert calls == [data["order"].pk]
    assert "retry queued" in response.content.decode()


def test_times_are_shown_in_the_tenant_time_zone(owner_client, owner):
    owner.tenant.time_zone = "Asia/Tokyo"
    owner.tenant.save()
    data = tenant_data(owner.tenant, "MINE")
    from django.utils import timezone
    from zoneinfo import ZoneInfo

    local = timezone.localtime(data["run"].started_at, ZoneInfo("Asia/Tokyo"))
    html = owner_client.get(reverse("run", args=[data["run"].pk])).content.decode()
    assert local.strftime("%Y-%m-%d %H:%M:%S") in html and "JST" in html


def test_orders_page_filters_by_state(owner_client, owner):
    tenant_data(owner.tenant, "MINE")
    OrderLedger.objects.for_tenant(owner.tenant).create(tenant=owner.tenant, channel=CHANNEL, external_id="OK-1",
                                                        state="sale_created")
    html = owner_client.get(reverse("orders") + "?state=sale_created").content.decode()
    assert "OK-1" in html and "MINE-ORDER" not in html


def test_mappings_save_the_shop_register_and_employee(owner_client, owner):
    from lightspeed.selectors import pos_booking

    tenant_data(owner.tenant, "MINE")
    response = owner_client.post(reverse("lightspeed:mappings"),
                                 {"shop_ls_id": "1", "register_ls_id": "1", "employee_ls_id": "1"}, follow=True)
    assert "Saved: channel orders go to" in response.content.decode()
    assert pos_booking(tenant=owner.tenant) == pos_booking(tenant=owner.tenant, channel=CHANNEL)
    assert (pos_booking(tenant=owner.tenant).register_ls_id, pos_booking(tenant=owner.tenant).employee_ls_id) == (1, 1)
    response = owner_client.post(reverse("lightspeed:mappings"), {"shop_ls_id": "999", "register_ls_id": "1",
                                                                   "employee_ls_id": "1"})
    assert "Select a valid choice" in response.content.decode()


def test_a_register_of_another_shop_is_refused_with_a_message(owner_client, owner):
    from lightspeed.models import PosChoice, Register, Shop

    tenant_data(owner.tenant, "MINE")
    Shop.objects.for_tenant(owner.tenant).create(tenant=owner.tenant, ls_id=2, name="Outlet")
    Register.objects.for_tenant(owner.tenant).filter(ls_id=1).update(shop_ls_id=1)
    Register.objects.for_tenant(owner.tenant).create(tenant=owner.tenant, ls_id=2, name="Outlet till", shop_ls_id=2)
    html = owner_client.get(reverse("lightspeed:mappings")).content.decode()
    assert "Outlet till — Outlet" in html  # registers are listed with their shop
    response = owner_client.post(reverse("lightspeed:mappings"), {"shop_ls_id": "1", "register_ls_id": "2",
                                                                   "employee_ls_id": "1"})
    assert response.status_code == 400 and "belongs to another shop" in response.content.decode()
    assert not PosChoice.objects.for_tenant(owner.tenant).exists()


def test_a_channel_overrides_the_default_and_goes_back_to_it(owner_client, owner):
    from lightspeed.models import Register
    from lightspeed.selectors import pos_booking

    tenant_data(owner.tenant, "MINE")
    Register.objects.for_tenant(owner.tenant).create(tenant=owner.tenant, ls_id=2, name="Web till")
    owner_client.post(reverse("lightspeed:mappings"), {"shop_ls_id": "1", "register_ls_id": "1", "employee_ls_id": "1"})
    owner_client.post(reverse("lightspeed:mappings"), {"channel": CHANNEL, f"{CHANNEL}-register_ls_id": "2"})
    assert pos_booking(tenant=owner.tenant, channel=CHANNEL).register_ls_id == 2
    assert pos_booking(tenant=owner.tenant).register_ls_id == 1
    assert pos_booking(tenant=owner.tenant, channel=CHANNEL).employee_ls_id == 1  # blank: the default's
    owner_client.post(reverse("lightspeed:mappings"), {"channel": CHANNEL, "clear": "1"})
    assert pos_booking(tenant=owner.tenant, channel=CHANNEL).register_ls_id == 1


def test_lightspeed_badge_says_needs_reconnect_with_the_reason(owner_client, owner):
    from lightspeed.models import Connection

    tenant_data(owner.tenant, "MINE")
    Connection.objects.for_tenant(owner.tenant).update(status="needs_reconnect",
                                                       status_reason="Reconnect Lightspeed: access was revoked.")
    html = owner_client.get(reverse("lightspeed:connection")).content.decode()
    assert 'data-health="needs_reconnect"' in html and "access was revoked" in html
    assert "Reconnect Lightspeed</button>" not in html and "Connect Lightspeed</button>" in html
