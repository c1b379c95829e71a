"""Tests run against real PostgreSQL and Redis (defaults match .ci/run and the dev machine)."""
import os

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/connector")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/15")

from connector.settings import *  # noqa: E402,F401,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CELERY_TASK_ALWAYS_EAGER = False
LOGGING["root"]["level"] = "WARNING"  # noqa: F405

INSTALLED_APPS = [*INSTALLED_APPS, "tests.dummychannel"]  # noqa: F405  a channel that lives only in the tests

import tempfile  # noqa: E402

# Each test session renders feed files into its own directory.
STORAGES = {**STORAGES, "feeds": {"BACKEND": "django.core.files.storage.FileSystemStorage",  # noqa: F405
                                  "OPTIONS": {"location": tempfile.mkdtemp(prefix="connector-feeds-")}}}
