"""Support admin: filters, exact search, actions through run_enqueue, bounded queries."""
from datetime import timedelta

import pytest
from django.utils import timezone

from connector.models import OrderLedger, Schedule, SyncEvent, SyncRun
from connector.paginators import EstimatedCountPaginator
from connector.schedules import schedule_enable

from . import testjobs  # noqa: F401

EVENTS = "/admin/connector/syncevent/"
RUNS = "/admin/connector/syncrun/"


@pytest.fixture
def staff_client(client, django_user_model):
    admin = django_user_model.objects.create_superuser("support", "support@example.com", "pw")
    client.force_login(admin)
    return client


@pytest.fixture
def log_rows(make_tenant):
    """3 tenants x 4 runs x 10 events."""
    now = timezone.now()
    runs = []
    for slug in ("acme", "beta", "gamma"):
        tenant = make_tenant(slug)
        for i in range(4):
            job = "test.ok" if i % 2 else "test.records"
            run = SyncRun.unscoped.create(tenant=tenant, job=job, status="failed" if i == 3 else "succeeded",
                                          started_at=now - timedelta(hours=i), heartbeat_at=now)
            runs.append(run)
            SyncEvent.unscoped.bulk_create(
                SyncEvent(tenant=tenant, run=run, job=job, created_at=now - timedelta(hours=i, minutes=n),
                          level="error" if n == 0 else "info", message=f"event {n}", object_type="order",
                          object_id=f"{slug}-{i}-{n}")
                for n in range(10)
            )
    return runs


def listed_ids(response):
    return [obj.pk for obj in response.context["cl"].result_list]


@pytest.mark.parametrize("url", [
    EVENTS, EVENTS + "?level__exact=error", EVENTS + "?job=test.ok", EVENTS + "?q=beta-2-3",
    EVENTS + "?created_at__gte=2000-01-01+00:00:00%2B00:00&level__exact=info&tenant__id__exact=1",
    RUNS, RUNS + "?status__exact=failed&job=test.records", RUNS + "?q=acme-1-1", "/admin/connector/orderledger/",
    "/admin/connector/schedule/",
])
def test_admin_lists_run_in_a_bounded_number_of_queries(staff_client, log_rows, url, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        response = staff_client.get(url)
    assert response.status_code == 200


def test_event_filters_and_exact_object_id_search(staff_client, log_rows):
    beta = log_rows[4].tenant
    by_tenant = staff_client.get(EVENTS, {"tenant__id__exact": beta.pk})
    assert {SyncEvent.unscoped.get(pk=pk).tenant_id for pk in listed_ids(by_tenant)} == {beta.pk}
    errors = staff_client.get(EVENTS, {"level__exact": "error", "job": "test.ok"})
    assert len(listed_ids(errors)) == 6  # 3 tenants x 2 test.ok runs x 1 error event
    found = staff_client.get(EVENTS, {"q": "beta-2-3"})
    assert [SyncEvent.unscoped.get(pk=pk).object_id for pk in listed_ids(found)] == ["beta-2-3"]
    assert listed_ids(staff_client.get(EVENTS, {"q": "beta-2"})) == []  # exact, not a substring scan


def test_runs_filter_by_status_job_and_date_and_search_by_an_object_id(staff_client, log_rows):
    failed = staff_client.get(RUNS, {"status__exact": "failed"})
    assert sorted(listed_ids(failed)) == sorted(r.pk for r in log_rows if r.status == "failed")
    today = staff_client.get(RUNS, {"started_at__gte": f"{timezone.now().date()} 00:00:00+00:00", "job": "test.ok"})
    assert all(SyncRun.unscoped.get(pk=pk).job == "test.ok" for pk in listed_ids(today))
    found = staff_client.get(RUNS, {"q": "gamma-1-4"})
    assert listed_ids(found) == [log_rows[9].pk]


def test_events_are_listed_newest_first(staff_client, log_rows):
    ids = listed_ids(staff_client.get(EVENTS))
    created = [SyncEvent.unscoped.get(pk=pk).created_at for pk in ids]
    assert created == sorted(created, reverse=True)


def test_run_now_and_retry_go_through_run_enqueue(staff_client, tenant, queued_runs,
                                                  django_capture_on_commit_callbacks):
    schedule = schedule_enable(tenant=tenant, job="test.ok")
    now = timezone.now()
    run = SyncRun.unscoped.create(tenant=tenant, job="test.records", status="failed", dry_run=True,
                                  params={"full": "1"}, started_at=now, heartbeat_at=now)
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post("/admin/connector/schedule/", {"action": "run_now", "_selected_action": [schedule.pk]})
        staff_client.post(RUNS, {"action": "retry", "_selected_action": [run.pk]})
    assert [(args, kwargs["trigger"], kwargs["dry_run"]) for args, kwargs, _ in queued_runs] == [
        ([tenant.pk, "test.ok"], "manual", False),
        ([tenant.pk, "test.records"], "retry", True),
    ]


def test_pause_and_resume_schedules(staff_client, tenant):
    schedule = schedule_enable(tenant=tenant, job="test.ok")
    staff_client.post("/admin/connector/schedule/", {"action": "pause", "_selected_action": [schedule.pk]})
    schedule.refresh_from_db()
    assert schedule.paused_reason.startswith("Paused by support")
    staff_client.post("/admin/connector/schedule/", {"action": "resume", "_selected_action": [schedule.pk]})
    assert Schedule.unscoped.get(pk=schedule.pk).paused_reason == ""


def test_run_page_shows_its_events_and_links_to_all(staff_client, log_rows):
    run = log_rows[0]
    response = staff_client.get(f"{RUNS}{run.pk}/change/")
    assert response.status_code == 200
    assert f"?run__id__exact={run.pk}" in response.content.decode()
    assert "acme-0-9" in response.content.decode()


def test_ledger_list_filters_by_state_and_searches_exact_order_id(staff_client, tenant):
    OrderLedger.unscoped.create(tenant=tenant, channel="miinto", external_id="T-100", state="failed")
    OrderLedger.unscoped.create(tenant=tenant, channel="miinto", external_id="T-101", state="accepted")
    response = staff_client.get("/admin/connector/orderledger/", {"state__exact": "failed"})
    assert [o.external_id for o in response.context["cl"].result_list] == ["T-100"]
    response = staff_client.get("/admin/connector/orderledger/", {"q": "T-101"})
    assert [o.external_id for o in response.context["cl"].result_list] == ["T-101"]


def test_paginator_counts_at_most_the_cap_when_filtered(log_rows):
    paginator = EstimatedCountPaginator(SyncEvent.unscoped.filter(level="info").order_by("-id"), 10)
    paginator.cap = 50
    assert paginator.count == 51  # 108 info rows, counted only to cap + 1
    small = EstimatedCountPaginator(SyncEvent.unscoped.filter(level="error").order_by("-id"), 10)
    assert small.count == 12
