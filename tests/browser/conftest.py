"""Browser tests: Debian's headless Chromium driven by Playwright against pytest-django's live server,
with the Lightspeed and Miinto sandboxes served on loopback in threads and jobs run in-process."""
import os
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "browser"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

# Playwright's sync API runs an event loop in the test thread; the test's own DB reads are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


class Served:
    """A WSGI app on 127.0.0.1:<free port>, in a daemon thread."""

    def __init__(self, app):
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.thread.join(timeout=5)


@pytest.fixture
def serve():
    started = []

    def start(app):
        served = Served(app)
        started.append(served)
        return served

    yield start
    for served in started:
        served.stop()


@pytest.fixture(autouse=True)
def queued_runs(monkeypatch):
    """Queued runs execute at once in a worker thread, so "run now" shows live progress and finishes."""
    from django.db import connection

    from connector import tasks
    from connector.runs import run_job_with_retry

    threads = []

    def work(tenant_id, job, kwargs):
        try:
            run_job_with_retry(tenant_id=tenant_id, job=job, **kwargs)
        finally:
            connection.close()

    def apply_async(args=None, kwargs=None, countdown=None, **opts):
        if countdown:  # a retry with backoff: not within a browser test
            return
        thread = threading.Thread(target=work, args=(*args, kwargs or {}), daemon=True)
        threads.append(thread)
        thread.start()

    monkeypatch.setattr(tasks.run_job_task, "apply_async", apply_async)
    yield threads
    for thread in threads:
        thread.join(timeout=60)



@pytest.fixture
def browser_page():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing: apt-get install -y chromium (.ci/run does it)")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.set_default_timeout(20_000)
        yield page
        # Connections opened while Playwright's loop runs live in that context: close them here.
        from django.db import connections

        connections.close_all()
        context.close()
        browser.close()


@pytest.fixture
def shoot(browser_page, request):
    """Full-page screenshots, named <test>-<nn>-<page>.png, all in artifacts/browser/."""
    counter = iter(range(1, 100))
    prefix = request.node.name.removeprefix("test_")
    for old in ARTIFACTS.glob(f"{prefix}-*.png"):  # screenshots of an earlier run of this test
        old.unlink()

    def shot(name, page=None, **kwargs):
        path = ARTIFACTS / f"{prefix}-{next(counter):02d}-{name}.png"
        (page or browser_page).screenshot(path=str(path), full_page=True, **kwargs)
        return path

    return shot
