"""The production web command (the Dockerfile's CMD), run for real on a loopback port:
slow readers do not stall it, and its access log carries no feed token or OAuth code."""
import json
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
SLOW_READERS = 4
WORKERS = "2"  # fewer workers than slow readers: sync workers would all be held
SECRET = "Qv7SecretTokenInTheUrl0123456789"


def dockerfile_command():
    text = (ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    return json.loads(re.search(r"^CMD\s+(\[.*\])\s*$", text, re.M).group(1))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def web_command(port):
    argv = dockerfile_command()
    assert argv[:2] == ["gunicorn", "connector.wsgi"]
    argv = [sys.executable, "-m", "gunicorn", "tests.security.slow_app:application", *argv[2:]]
    argv[argv.index("--bind") + 1] = f"127.0.0.1:{port}"
    argv[argv.index("--workers") + 1] = WORKERS
    return argv


@pytest.fixture
def web(db, tmp_path):
    port = free_port()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings", "PYTHONPATH": str(ROOT),
           "DATABASE_URL": "postgres://{USER}@{HOST}:{PORT}/{NAME}".format(**settings.DATABASES["default"])}
    out, err = open(tmp_path / "out.log", "w+"), open(tmp_path / "err.log", "w+")
    process = subprocess.Popen(web_command(port), cwd=ROOT, env=env, stdout=out, stderr=err)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 40
    while True:
        try:
            if httpx.get(f"{base}/login/", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline or process.poll() is not None:
            process.kill()
            pytest.fail(f"gunicorn did not come up: {(tmp_path / 'err.log').read_text()[-2000:]}")
        time.sleep(0.2)
    yield base, port, tmp_path
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
    out.close()
    err.close()


def slow_reader(port):
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.connect(("127.0.0.1", port))
    sock.sendall(b"GET /big HTTP/1.1\r\nHost: localhost\r\n\r\n")
    return sock


def test_slow_readers_do_not_stall_the_login_page(web):
    base, port, _ = web
    readers = [slow_reader(port) for _ in range(SLOW_READERS)]
    try:
        for sock in readers:  # each is being answered (then never read again)
            sock.settimeout(5)
            try:
                sock.recv(12)
            except TimeoutError:
                pass
        started = time.monotonic()
        response = httpx.get(f"{base}/login/", timeout=10)
        assert response.status_code == 200 and "Sign in" in response.text
        assert time.monotonic() - started < 5
    finally:
        for sock in readers:
            sock.close()


def test_access_and_request_logs_carry_no_secrets(web):
    base, _, logs = web
    httpx.get(f"{base}/channels/miinto/feed/{SECRET}.tsv", timeout=10)
    httpx.get(f"{base}/lightspeed/callback/?code={SECRET}&state={SECRET}", timeout=10, follow_redirects=False)
    time.sleep(0.2)  # gunicorn writes the access line right after the response
    text = (logs / "out.log").read_text() + (logs / "err.log").read_text()
    assert "/channels/miinto/feed/[redacted].tsv" in text
    assert SECRET not in text
