"""The Celery app. One beat entry: the scheduler tick, every 5 s (docs/architecture.md)."""
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "connector.settings")

app = Celery("connector")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
TICK_SECONDS = 5.0
app.conf.beat_schedule = {
    # A tick older than its successor is useless: it expires instead of queueing behind it.
    "scheduler-tick": {"task": "connector.tasks.tick", "schedule": TICK_SECONDS,
                       "options": {"queue": "tick", "expires": 4 * TICK_SECONDS}},
}
# Queues: "tick" (the scheduler), "orders" (latency-critical jobs), "bulk" (syncs; the default).
# A run goes to its job's queue (registry.register_job(queue=...), dispatch.runs_publish).
app.conf.task_default_queue = "bulk"
app.conf.task_routes = {"connector.tasks.tick": {"queue": "tick"}}
