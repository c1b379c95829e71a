"""The demo: an idempotent seed, and `manage.py demo` really serving on embedded defaults."""
import json
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
from cryptography.fernet import Fernet
from django.contrib.auth import authenticate
from django.core.management import call_command

from connector.channels import channel_get
from connector.models import Schedule
from connector.settings import _DEMO_FERNET_KEY
from connector.registry import all_jobs
from tenants.demo import DEMO_OWNER, DEMO_PASSWORD, DEMO_SUPPORT
from tenants.models import Membership, Tenant

ROOT = Path(__file__).resolve().parents[2]


def test_demo_seed_is_idempotent_and_prints_the_logins(db, capsys, settings):
    settings.LIGHTSPEED_AUTH_URL = "https://lightspeed.invalid"  # no sandbox here: its hook stands aside
    call_command("demo_seed")
    call_command("demo_seed")
    out = capsys.readouterr().out
    assert f"owner login {DEMO_OWNER} / {DEMO_PASSWORD}" in out
    tenant = Tenant.objects.get(slug="demo")
    assert Membership.objects.get(tenant=tenant).user.username == DEMO_OWNER
    assert authenticate(username=DEMO_OWNER, password=DEMO_PASSWORD) is not None
    assert authenticate(username=DEMO_SUPPORT, password=DEMO_PASSWORD).is_superuser
    assert sorted(Schedule.objects.for_tenant(tenant).values_list("job", flat=True)) == sorted(
        job.name for job in all_jobs()
    )


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def free_port_offset():
    """An offset at which every sandbox's demo port (and the FTP's) is free: a demo running here stays untouched."""
    from connector.channels import channels_all
    from connector.management.commands.demo import ports_moved

    ports = [p for c in channels_all() if c.sandbox for p in (c.sandbox.port, *ports_moved(c.sandbox.args, 0)[1])]
    for offset in random.Random().sample(range(20_000, 40_000, 10), 50):
        try:
            for port in ports:
                with socket.socket() as sock:
                    sock.bind(("127.0.0.1", port + offset))
        except OSError:
            continue
        return offset
    raise AssertionError("no free port range for the sandboxes")


def read_until_printed(process, needles, seconds=120):
    """The demo's output up to the moment every needle has been printed."""
    deadline, seen, missing = time.monotonic() + seconds, [], set(needles)
    while missing and time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line and process.poll() is not None:
            break
        seen.append(line)
        missing = {needle for needle in missing if needle not in line}
    if missing:
        raise AssertionError(f"{sorted(missing)} not printed; output:\n{''.join(seen)}")
    return "".join(seen)


def test_demo_command_serves_web_worker_and_beat_on_sqlite_and_stops_them_all(tmp_path):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL")}
    env.update(DJANGO_SETTINGS_MODULE="connector.settings", CONNECTOR_VAR_DIR=str(tmp_path), PYTHONUNBUFFERED="1")
    process = subprocess.Popen([sys.executable, "manage.py", "demo", "--no-sandboxes", "--port", str(port)], cwd=ROOT,
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        out = read_until_printed(process, ["Ctrl-C stops everything", "celery@", "beat: Starting"])
        assert "database: sqlite3" in out and "broker: filesystem://" in out
        assert f"http://127.0.0.1:{port}/" in out and DEMO_OWNER in out
        rest = []
        drain = threading.Thread(target=lambda: rest.extend(process.stdout), daemon=True)
        drain.start()  # keep reading, or a full pipe would stall the demo's logging
        assert httpx.get(f"http://127.0.0.1:{port}/login/", timeout=30).status_code == 200
        assert (tmp_path / "demo.sqlite3").exists()
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=60)
    drain.join(10)
    assert "stopping" in "".join(rest)
    assert process.returncode == 0
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"http://127.0.0.1:{port}/login/")


def run_demo_job(env, job, attempts=60):
    """`manage.py runjob demo <job>` in the demo's environment; waits (bounded) while the worker runs the same job."""
    for _ in range(attempts):
        done = subprocess.run([sys.executable, "manage.py", "runjob", "demo", job], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=300)
        if "already running" not in done.stderr:
            assert done.returncode == 0, f"{job}:\n{done.stdout}\n{done.stderr}"
            return done.stdout
        time.sleep(1)
    raise AssertionError(f"{job} stayed locked by the demo's worker")


def demo_db(tmp_path, sql, *args):
    import sqlite3

    with sqlite3.connect(tmp_path / "demo.sqlite3", timeout=20) as db:
        return db.execute(sql, args).fetchall()


def test_demo_smoke_on_embedded_defaults_feed_order_and_completed_sale(tmp_path):
    """The owner's round trip on SQLite + the filesystem broker, with both sandboxes: the feed answers 200,
    a Miinto order becomes a Lightspeed sale, and completing the sale accepts the order on Miinto."""
    port, offset = free_port(), free_port_offset()
    # `runjob` below runs outside the demo: the environment tells it where the two sandboxes are
    ls_port, miinto_port = (channel_get(key).sandbox.port + offset for key in ("lightspeed", "miinto"))
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL")}
    env.update(DJANGO_SETTINGS_MODULE="connector.settings", CONNECTOR_VAR_DIR=str(tmp_path), PYTHONUNBUFFERED="1",
               LIGHTSPEED_API_URL=f"http://127.0.0.1:{ls_port}", LIGHTSPEED_AUTH_URL=f"http://127.0.0.1:{ls_port}",
               MIINTO_AUTH_URL=f"http://127.0.0.1:{miinto_port}", MIINTO_ORDER_URL=f"http://127.0.0.1:{miinto_port}")
    process = subprocess.Popen([sys.executable, "manage.py", "demo", "--port", str(port), "--port-offset", str(offset)],
                               cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    rest = []
    try:
        out = read_until_printed(process, ["Ctrl-C stops everything"], seconds=180)
        assert "database: sqlite3" in out and "broker: filesystem://" in out
        drain = threading.Thread(target=lambda: rest.extend(process.stdout), daemon=True)
        drain.start()
        run_demo_job(env, "lightspeed.reference_sync")
        run_demo_job(env, "lightspeed.catalog_sync")

        (secret,) = demo_db(tmp_path, "SELECT feed_token_secret FROM miinto_miintosettings")[0]
        token = Fernet(_DEMO_FERNET_KEY.encode()).decrypt(secret.encode()).decode()  # stored encrypted only
        feed = httpx.get(f"http://127.0.0.1:{port}/channels/miinto/feed/{token}.tsv", timeout=60)
        assert feed.status_code == 200, feed.text[:2000]
        lines = feed.text.splitlines()
        assert lines[0].startswith("id\tgtin\t") and len(lines) > 100

        run_demo_job(env, "miinto.orders_import")
        sales = demo_db(tmp_path, "SELECT external_id, sale_id FROM connector_orderledger "  # other channels import too
                                  "WHERE channel = 'miinto' AND state = 'sale_created' AND sale_id != '' ORDER BY id")
        assert sales, demo_db(tmp_path, "SELECT external_id, state, last_error FROM connector_orderledger")
        transfer_id, sale_id = sales[0]
        completed = httpx.post(f"http://127.0.0.1:{ls_port}/sandbox/sales/{sale_id}/complete", timeout=30)
        assert completed.status_code == 200 and completed.json()["completed"]

        run_demo_job(env, "lightspeed.sales_sync")  # the status sync reads the sales mirror
        run_demo_job(env, "miinto.status_sync")
        (state,) = demo_db(tmp_path, "SELECT state FROM connector_orderledger WHERE channel = 'miinto' "
                                     "AND external_id = ?", transfer_id)[0]
        assert state == "accepted"
        actions = httpx.get(f"http://127.0.0.1:{miinto_port}/sandbox/actions", timeout=30).json()
        assert any(str(transfer_id) in json.dumps(action) for action in actions)
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=60)
    assert process.returncode == 0, "".join(rest)[-3000:]


def test_a_port_offset_moves_every_fixed_sandbox_port_and_the_base_urls_that_name_them(settings, monkeypatch):
    from connector.management.commands.demo import _base_urls_point_at, ports_moved

    assert ports_moved(("--ftp-port", "2121", "--orders", "3", "--sftp-port", "0"), 1000) == (
        ["--ftp-port", "3121", "--orders", "3", "--sftp-port", "0"], {2121: 3121})
    channel = channel_get("smartetailing")
    monkeypatch.delenv("SMARTETAILING_ORDER_URL", raising=False)
    monkeypatch.setenv("SMARTETAILING_FTP_URL", "ftp://ftp.example:21")  # the environment's choice stays
    settings.SMARTETAILING_ORDER_URL, settings.SMARTETAILING_FTP_URL = "http://127.0.0.1:8103", "ftp://ftp.example:21"
    _base_urls_point_at(channel, {8103: 9103, 2121: 3121})
    assert settings.SMARTETAILING_ORDER_URL == os.environ["SMARTETAILING_ORDER_URL"] == "http://127.0.0.1:9103"
    assert settings.SMARTETAILING_FTP_URL == "ftp://ftp.example:21"
    monkeypatch.delenv("SMARTETAILING_ORDER_URL")
