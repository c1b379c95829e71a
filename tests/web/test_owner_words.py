"""Issue 15 §14: owner pages speak the owner's words — job titles, intervals, counts that mean what they say,
order states by their labels, and no "Next run" time in the past."""
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from connector.models import OrderLedger, Schedule, SyncRun
from connector.templatetags.connector_ui import every, summary

pytestmark = pytest.mark.django_db


def test_intervals_read_as_minutes_and_hours():
    assert [every(s) for s in (20, 90, 1800, 3600, 86400, 172800)] == ["20 s", "90 s", "30 min", "1 h", "1 day",
                                                                       "2 days"]


def test_counts_are_said_in_words_and_technical_ones_are_left_out():
    text = summary({"drips": 26.0, "requests": 3, "items.read": 979, "items.written": 2, "feed_rows": 979})
    assert "drips" not in text and "requests" not in text and "items.read" not in text
    assert "979 items read" in text and "2 items updated" in text and "979 rows in the feed" in text
    assert summary({"drips": 1.5}) == "nothing to do"


def _run(tenant, job, counts):
    now = timezone.now()
    return SyncRun.objects.for_tenant(tenant).create(tenant=tenant, job=job, trigger="manual", status="succeeded",
                                                     started_at=now, heartbeat_at=now, finished_at=now, counts=counts)


def test_runs_pages_show_job_titles_and_results(owner_client, owner):
    run = _run(owner.tenant, "lightspeed.catalog_sync", {"drips": 26.0, "items.read": 40, "items.written": 40})
    for url in (reverse("runs"), reverse("run", args=[run.pk])):
        html = owner_client.get(url).content.decode()
        assert "Lightspeed: items, prices and stock" in html
        assert ">lightspeed.catalog_sync<" not in html and "lightspeed.catalog_sync</td>" not in html
        assert "40 items read" in html
    assert "drips 26.0" not in owner_client.get(reverse("runs")).content.decode()


def test_dashboard_says_order_states_by_label_and_no_past_next_run(owner_client, owner):
    OrderLedger.objects.for_tenant(owner.tenant).create(tenant=owner.tenant, channel="miinto", external_id="1",
                                                        state="sale_created")
    Schedule.objects.for_tenant(owner.tenant).create(tenant=owner.tenant, job="lightspeed.catalog_sync",
                                                     interval_seconds=300,
                                                     next_run_at=timezone.now() - timedelta(hours=2))
    _run(owner.tenant, "lightspeed.catalog_sync", {"items.read": 3})
    html = owner_client.get(reverse("dashboard")).content.decode()
    assert "Salecreated" not in html and "Open sale in Lightspeed: 1" in html
    assert "due now" in html
    card = html[html.index('id="card-facts-lightspeed"'):html.index('id="chart"')]
    assert "3 items read" in card and "0 records" not in card


def test_channel_page_shows_intervals_in_minutes(owner_client, owner):
    Schedule.objects.for_tenant(owner.tenant).create(tenant=owner.tenant, job="miinto.feed_check",
                                                     interval_seconds=1800, next_run_at=timezone.now())
    html = owner_client.get(reverse("miinto:settings")).content.decode()
    assert "30 min" in html and "1800 s" not in html
