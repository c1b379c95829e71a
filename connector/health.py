"""Health: the database and the cache answer, and (for beat) the tick ran recently."""
import time

from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse

LAST_TICK_KEY = "connector:last_tick"


def tick_record(*, at=None):
    cache.set(LAST_TICK_KEY, at or time.time(), timeout=None)


def health_problems(*, tick_max_age=None):
    problems = []
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as exc:
        problems.append(f"database: {type(exc).__name__}: {exc}")
    try:
        cache.set("connector:health", 1, timeout=10)
        if cache.get("connector:health") != 1:
            problems.append("cache: a value written could not be read back")
    except Exception as exc:
        problems.append(f"cache: {type(exc).__name__}: {exc}")
    if tick_max_age is not None:
        last = cache.get(LAST_TICK_KEY)
        if last is None or time.time() - last > tick_max_age:
            problems.append(f"scheduler tick: none in the last {tick_max_age}s (is beat running? the worker?)")
    return problems


class HealthCheckMiddleware:
    """Answers GET /healthz before host validation and the HTTPS redirect (load balancers, compose)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path != "/healthz":
            return self.get_response(request)
        problems = health_problems()
        body = "\n".join(problems) or "ok"
        return HttpResponse(body, status=503 if problems else 200, content_type="text/plain")
