"""Shared start of every benchmark: its own PostgreSQL database (created if missing) and Django set up.

    from _setup import bench_setup
    BENCH_DB = bench_setup("bench_lsclient", redis_db=3)
"""
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def database_ensure(url):
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def bench_setup(default_db, *, redis_db):
    """Point Django at BENCH_DATABASE_URL (default: `default_db` on local PostgreSQL) and set it up."""
    url = os.environ.get("BENCH_DATABASE_URL", f"postgres://postgres@127.0.0.1:5432/{default_db}")
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "connector.settings")
    os.environ.setdefault("DJANGO_DEBUG", "0")
    os.environ.setdefault("REDIS_URL", f"redis://127.0.0.1:6379/{redis_db}")
    database_ensure(url)
    import django

    django.setup()
    return url
