"""Issue 15 §3: a channel paused by a wrong secret is resumed by saving the fix, by a successful run, by
switching it off and on, and by the Resume button beside the reason; setup is not "All done" meanwhile and the
dashboard shows no "Next run" time for it."""
import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from channels.miinto.models import MiintoSettings
from connector.models import Schedule
from connector.runs import run_job
from connector.services import channel_switch
from tenants.models import Membership

pytestmark = pytest.mark.django_db

JOB = "miinto.orders_import"


@pytest.fixture
def paused(miinto_tenant, clock):
    """Miinto on, then one run with a wrong secret: paused with Miinto's refusal as the reason."""
    channel_switch(tenant=miinto_tenant, channel="miinto", on=True)
    MiintoSettings.objects.for_tenant(miinto_tenant).update(secret="wrong-secret")
    run = run_job(tenant=miinto_tenant, job=JOB, trigger="schedule", clock=clock)
    assert run.error_kind == "config"
    assert _reason(miinto_tenant).startswith("Miinto refused the channel identifier/secret")
    return miinto_tenant


@pytest.fixture
def browser(client, miinto_tenant):
    user = get_user_model().objects.create_user(username="o@acme.example", email="o@acme.example", password="pw")
    Membership.objects.create(user=user, tenant=miinto_tenant, role="owner")
    client.force_login(user)
    return client


def _reason(tenant):
    return Schedule.objects.for_tenant(tenant).get(job=JOB).paused_reason


def _settings_post(sandbox, **changes):
    data = {"identifier": sandbox.identifier, "secret": "", "feed_currency": "DKK", "order_prefix": "MIINTO-",
            "unfulfillable_policy": "decline", "void_policy": "leave",
            "shops-0-shop_id": sandbox.shop_ids[0], "shops-0-country": "DK", "shops-0-lightspeed_shop_ls_id": "1"}
    data.update(changes)
    return data


def test_saving_the_correct_secret_resumes_the_pause(paused, browser, miinto_sandbox):
    response = browser.post(reverse("miinto:settings"), _settings_post(miinto_sandbox, secret=miinto_sandbox.secret))
    assert response.status_code == 302, response.content.decode()[:3000]
    assert _reason(paused) == ""


def test_saving_an_unrelated_setting_keeps_the_pause(paused, browser, miinto_sandbox):
    browser.post(reverse("miinto:settings"), _settings_post(miinto_sandbox, order_prefix="MI-"))
    assert _reason(paused).startswith("Miinto refused")


def test_a_successful_run_resumes_the_pause(paused, miinto_sandbox, clock):
    MiintoSettings.objects.for_tenant(paused).update(secret=miinto_sandbox.secret)
    assert run_job(tenant=paused, job=JOB, trigger="manual", clock=clock).status == "succeeded"
    assert _reason(paused) == ""


def test_switching_off_and_on_resumes_the_pause(paused, miinto_sandbox):
    MiintoSettings.objects.for_tenant(paused).update(secret=miinto_sandbox.secret)
    channel_switch(tenant=paused, channel="miinto", on=False)
    channel_switch(tenant=paused, channel="miinto", on=True)
    assert _reason(paused) == ""


def test_resume_button_beside_the_reason_on_the_dashboard_and_no_next_run(paused, browser):
    html = browser.get(reverse("dashboard")).content.decode()
    assert 'data-paused="miinto"' in html and 'data-resume="miinto"' in html
    card = html[html.index('id="card-facts-miinto"'):]
    next_run = card[card.index("data-next-run>"):][:80]
    assert "paused" in next_run and ":" not in next_run.split(">", 1)[1].split("<")[0]
    response = browser.post(reverse("channel_resume", args=["miinto"]), {"next": reverse("dashboard")})
    assert response.status_code == 302 and response["Location"] == reverse("dashboard")
    assert _reason(paused) == ""


def test_setup_is_not_all_done_while_paused(paused, browser):
    html = browser.get(reverse("onboarding")).content.decode()
    assert "All done" not in html
    assert 'data-step="miinto.paused"' in html and "Miinto refused" in html
