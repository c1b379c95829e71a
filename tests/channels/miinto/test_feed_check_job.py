"""Job miinto.feed_check: builds the feed and reports what was left out in the sync log."""
import pytest

from channels.miinto import jobs, services
from connector.models import SyncEvent, SyncRun
from connector.registry import get_job
from connector.runs import run_job

from .feed_mirror import mirror_basics, mirror_items

pytestmark = pytest.mark.django_db


def test_job_is_registered():
    assert get_job("miinto.feed_check").func is jobs.feed_check_job


def test_duplicates_missing_prices_and_archived_are_logged(tenant):
    mirror_basics(tenant)
    mirror_items(tenant, [
        dict(ean="5700000000001", description="first"),
        dict(ean="5700000000001", description="second"),
        dict(ean="5700000000001", description="third"),
        dict(ean="5700000000004", price=None, description="priceless"),
        dict(ean="5700000000005", archived=True),
        dict(ean="5700000000006"),
    ])
    run = run_job(tenant=tenant, job="miinto.feed_check")
    assert run.status == SyncRun.Status.SUCCEEDED
    assert run.counts == {"feed_rows": 2, "duplicate_gtin": 2, "no_price": 1, "archived": 1}
    events = SyncEvent.objects.for_tenant(tenant).filter(run=run)
    duplicates = events.filter(data__kind="duplicate_gtin").order_by("object_id")
    assert [(e.object_id, e.level) for e in duplicates] == [("2", "warning"), ("3", "warning")]
    assert "item 1" in duplicates[0].message and "5700000000001" in duplicates[0].message
    assert events.filter(data__kind="no_price", object_id="4").exists()
    assert events.filter(message__contains="1 archived items").exists()


def test_many_problems_are_summarised(tenant, monkeypatch):
    monkeypatch.setattr(services, "EVENTS_PER_KIND", 2)
    mirror_basics(tenant)
    mirror_items(tenant, [dict(ean="5700000000001") for _ in range(5)])
    run = run_job(tenant=tenant, job="miinto.feed_check")
    events = SyncEvent.objects.for_tenant(tenant).filter(run=run)
    assert events.filter(data__kind="duplicate_gtin").count() == 2
    assert events.filter(message__startswith="4 items left out of the feed for duplicate gtin").exists()


def test_other_tenants_items_are_not_checked(tenant, make_tenant):
    other = make_tenant("other")
    mirror_basics(tenant)
    mirror_items(other, [dict(ean="5700000000001"), dict(ean="5700000000001")])
    run = run_job(tenant=tenant, job="miinto.feed_check")
    assert run.counts == {"feed_rows": 0}
    assert not SyncEvent.objects.for_tenant(tenant).filter(data__kind="duplicate_gtin").exists()


def test_the_check_fetches_the_feed_over_http_and_fails_when_miinto_would_get_an_error(tenant, monkeypatch):
    """Issue 15 §2: the check reported "Succeeded, 979 rows" while the feed URL answered 500."""
    from channels.miinto import views

    mirror_basics(tenant)
    mirror_items(tenant, [dict(ean="5700000000001"), dict(ean="5700000000002")])

    def broken(**kwargs):
        raise RuntimeError("PostgreSQL-only SQL on SQLite")

    monkeypatch.setattr(views, "feed_file_current", broken)  # the feed URL answers 500, whatever the mirror says
    run = run_job(tenant=tenant, job="miinto.feed_check")
    assert run.status == SyncRun.Status.FAILED
    assert "Miinto cannot fetch the feed" in run.error and "HTTP 500" in run.error
    messages = SyncEvent.objects.for_tenant(tenant).filter(run=run).values_list("message", flat=True)
    assert "rows" not in " ".join(messages)


def test_the_check_uses_the_feeds_basic_auth_and_is_not_counted_as_miintos_fetch(tenant):
    from channels.miinto.models import MiintoSettings
    from channels.miinto.selectors import feed_last_fetch

    mirror_basics(tenant)
    mirror_items(tenant, [dict(ean="5700000000001")])
    MiintoSettings.objects.for_tenant(tenant).update_or_create(
        tenant=tenant, defaults={"feed_basic_user": "miinto", "feed_basic_password": "pw"})
    run = run_job(tenant=tenant, job="miinto.feed_check")
    assert run.status == SyncRun.Status.SUCCEEDED and run.counts["feed_rows"] == 1
    assert SyncEvent.objects.for_tenant(tenant).filter(run=run, message__startswith="Miinto gets 1 rows").exists()
    assert feed_last_fetch(tenant=tenant) is None
