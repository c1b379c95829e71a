"""Queues per job, runs published in one go, ctx.run_again(), and a yielded run's resumption."""
import pytest
from django.utils import timezone

from connector.dispatch import RunOrder, run_enqueue, runs_enqueue
from connector.models import Schedule, SyncRun
from connector.registry import register_job
from connector.runs import run_job, run_job_with_retry
from connector.schedules import schedule_enable

from . import testjobs  # noqa: F401  (registers the test jobs)


def test_each_run_goes_to_its_jobs_queue_in_one_publish(tenant, queued_runs, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        runs_enqueue([RunOrder(tenant_id=tenant.pk, job="test.fast"), RunOrder(tenant_id=tenant.pk, job="test.ok")])
        run_enqueue(tenant_id=tenant.pk, job="test.fast", trigger="retry", countdown=30)
    assert len(callbacks) == 2
    assert [(args[1], opts["queue"], opts["countdown"]) for args, _, opts in queued_runs] == [
        ("test.fast", "orders", None), ("test.ok", "bulk", None), ("test.fast", "orders", 30)]


def test_a_job_declares_a_known_queue_only():
    with pytest.raises(ValueError):
        register_job("test.nowhere", interval=timezone.timedelta(minutes=1), queue="fast-lane")


def test_a_job_that_found_work_is_queued_again_at_once(tenant, queued_runs, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run_job_with_retry(tenant_id=tenant.pk, job="test.again", params={"more": True})
        run_job_with_retry(tenant_id=tenant.pk, job="test.again", params={"more": True}, dry_run=True)
        run_job_with_retry(tenant_id=tenant.pk, job="test.again")
    assert [(args[1], kwargs["trigger"], opts["countdown"]) for args, kwargs, opts in queued_runs] == [
        ("test.again", "schedule", None)]


def test_a_yielded_run_gives_its_slot_back_and_resumes_where_it_stopped(tenant, queued_runs,
                                                                         django_capture_on_commit_callbacks):
    schedule = schedule_enable(tenant=tenant, job="test.yielding")
    with django_capture_on_commit_callbacks(execute=True):
        first = run_job_with_retry(tenant_id=tenant.pk, job="test.yielding")
    assert first.status == SyncRun.Status.YIELDED and first.counts == {"page0": 1, "page1": 1}
    (args, kwargs, opts), = queued_runs
    assert (kwargs["trigger"], kwargs["params"], opts["countdown"]) == ("resume", {"page": 2}, 42)
    assert Schedule.unscoped.get(pk=schedule.pk).next_run_at > timezone.now() + timezone.timedelta(seconds=42)
    queued_runs.clear()
    with django_capture_on_commit_callbacks(execute=True):
        second = run_job_with_retry(tenant_id=tenant.pk, job="test.yielding", **kwargs)
    assert second.status == SyncRun.Status.SUCCEEDED and second.counts == {"page2": 1, "page3": 1}
    assert queued_runs == []


def test_outside_a_worker_a_yieldable_job_does_not_yield(tenant):
    run = run_job(tenant=tenant, job="test.yielding")
    assert run.status == SyncRun.Status.SUCCEEDED and len(run.counts) == 4


def test_a_large_tick_publishes_chunks_on_the_runs_queues_and_their_workers_publish_each_run(
        queued_runs, monkeypatch):
    from connector import dispatch, tasks

    chunks = []
    monkeypatch.setattr(tasks.publish_runs, "apply_async",
                        lambda args=None, kwargs=None, **opts: chunks.append((args, opts)))
    orders = [RunOrder(tenant_id=n, job="test.ok", trigger="schedule") for n in range(600)]
    orders += [RunOrder(tenant_id=n, job="test.order", trigger="schedule") for n in range(10)]
    dispatch.runs_publish(orders)
    assert not queued_runs, "no single run is sent by the tick itself"
    assert sorted((opts["queue"], len(args[0])) for args, opts in chunks) == [
        ("bulk", 100), ("bulk", 250), ("bulk", 250), ("orders", 10)]
    for args, _ in chunks:
        tasks.publish_runs(*json_roundtrip(args))  # what a worker of that queue does with the message
    assert sorted((a[0], a[1], o["queue"]) for a, _, o in queued_runs) == sorted(
        [(n, "test.ok", "bulk") for n in range(600)] + [(n, "test.order", "orders") for n in range(10)])
    assert all(kw["trigger"] == "schedule" for _, kw, _ in queued_runs)


def json_roundtrip(value):
    import json

    return json.loads(json.dumps(value))
