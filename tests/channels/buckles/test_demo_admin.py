"""The demo seed and the support staff's admin pages for Buckles (PROVISIONAL contract, docs/buckles.md)."""
from io import StringIO

import pytest
from django.urls import reverse

from channels.buckles.demo import DEMO_LIGHTSPEED_SHOP, demo_seed
from channels.buckles.models import BucklesEvent, BucklesSettings, BucklesShop
from channels.buckles.sandbox import BucklesSandbox

pytestmark = pytest.mark.django_db


def test_provisional_demo_seed_connects_the_demo_tenant_to_the_sandbox_once(tenant, settings):
    settings.BUCKLES_API_URL = "http://127.0.0.1:8106"
    demo_seed(tenant=tenant, stdout=StringIO())
    out = StringIO()
    demo_seed(tenant=tenant, stdout=out)
    sandbox = BucklesSandbox()
    config = BucklesSettings.objects.for_tenant(tenant).get()
    assert config.enabled and (config.api_token, config.webhook_secret) == (sandbox.token, sandbox.webhook_secret)
    assert list(BucklesShop.objects.for_tenant(tenant).values_list("lightspeed_shop_ls_id", flat=True)) == [
        DEMO_LIGHTSPEED_SHOP]
    assert config.webhook_token in out.getvalue()


def test_provisional_demo_seed_never_points_at_a_real_buckles(tenant, settings):
    settings.BUCKLES_API_URL = "https://api.buckles.example"
    out = StringIO()
    assert demo_seed(tenant=tenant, stdout=out) is None and "skipped" in out.getvalue()
    assert not BucklesSettings.objects.for_tenant(tenant).exists()


def test_provisional_admin_lists_events_without_secrets_and_applies_again(admin_client, tenant, queued_runs,
                                                                          django_capture_on_commit_callbacks):
    config = BucklesSettings.objects.create(tenant=tenant, api_token="bkl_secret_tok", webhook_secret="whsec_hidden")
    event = BucklesEvent.objects.create(tenant=tenant, delivery_id="d-9", event_type="stock.changed",
                                        state="failed", last_error="boom")
    page = admin_client.get(reverse("admin:buckles_bucklessettings_change", args=[config.pk])).content.decode()
    assert "bkl_secret_tok" not in page and "whsec_hidden" not in page
    assert "d-9" in admin_client.get(reverse("admin:buckles_bucklesevent_changelist")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(reverse("admin:buckles_bucklesevent_changelist"),
                          {"action": "apply_again", "_selected_action": [event.pk]})
    event.refresh_from_db()
    assert event.state == "pending" and [a[1] for a, _, _ in queued_runs] == ["buckles.events_apply"]
