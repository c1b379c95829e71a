import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command

from connector.health import LAST_TICK_KEY
from connector.schedules import schedules_tick


def test_healthz_answers_before_host_checks(client, db, settings):
    settings.ALLOWED_HOSTS = ["connector.example.com"]
    response = client.get("/healthz", HTTP_HOST="10.0.0.7:8000")
    assert (response.status_code, response.content) == (200, b"ok")


def test_beat_health_needs_a_recent_tick(db):
    cache.delete(LAST_TICK_KEY)
    with pytest.raises(CommandError, match="scheduler tick"):
        call_command("health", tick_max_age=180)
    schedules_tick()
    call_command("health", tick_max_age=180)
