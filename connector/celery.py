"""The Celery app. One beat entry: the scheduler tick (docs/architecture.md)."""
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "connector.settings")

app = Celery("connector")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
app.conf.beat_schedule = {
    "scheduler-tick": {"task": "connector.tasks.tick", "schedule": 60.0},
}
