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


def lightspeed_connect(tenant, sandbox, clock):
    """The OAuth round trip against an in-process Lightspeed sandbox, its code shortcut standing in for the
    owner's approval."""
    from urllib.parse import parse_qs, urlparse

    from lightspeed.services import connection_authorize_url, connection_complete

    query = parse_qs(urlparse(connection_authorize_url(tenant=tenant)).query)
    code = sandbox.issue_code(code_challenge=query["code_challenge"][0],
                              code_challenge_method=query["code_challenge_method"][0])
    return connection_complete(tenant=tenant, code=code, state=query["state"][0], clock=clock)
