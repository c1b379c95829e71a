"""`manage.py demo` (what `bash bin/demo` runs): the whole product on one machine.

Migrates, seeds the demo tenant, and supervises the sandboxes (when their packages exist),
the web server (gunicorn), a Celery worker and Celery beat. Ctrl-C stops them all.
Embedded defaults (SQLite under var/, the filesystem broker) unless DATABASE_URL / REDIS_URL
/ CELERY_BROKER_URL are set.
"""
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from connector.channels import channel_get
from connector.management.commands.sandbox import sandboxes
from connector.registry import QUEUES, TICK_QUEUE
from tenants.demo import DEMO_OWNER, DEMO_PASSWORD, DEMO_SUPPORT

MANAGE = str(Path(settings.BASE_DIR) / "manage.py")


def port_open(host, port):
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0


def _key_ports(values):
    """["<key>=9102", ...] -> {"<key>": 9102}"""
    ports = {}
    for value in values:
        key, sep, port = value.partition("=")
        if not sep or not port.isdigit():
            raise CommandError(f"--sandbox-port {value!r}: use KEY=PORT, e.g. <channel key>=9102")
        ports[key] = int(port)
    return ports


def ports_moved(args, offset):
    """(a sandbox's arguments with every fixed `--…-port N` moved by `offset`, {old port: new port}); a port
    of 0 (any free port) stays."""
    moved_args, moved = list(args), {}
    for i, (arg, value) in enumerate(zip(args, args[1:])):
        if arg.endswith("-port") and value.isdigit() and int(value):
            moved[int(value)] = int(value) + offset
            moved_args[i + 1] = str(moved[int(value)])
    return moved_args, moved


def _base_urls_point_at(channel, moved):
    """Point the channel's base URL settings that name a moved sandbox port at its new port, here and (through
    the environment) in every process the demo starts. A URL the environment sets is left as it is."""
    for name in channel.base_urls:
        url = str(getattr(settings, name, ""))
        parts = urlsplit(url)
        if name in os.environ or parts.port not in moved or parts.hostname not in ("127.0.0.1", "localhost"):
            continue
        url = urlunsplit(parts._replace(netloc=f"{parts.hostname}:{moved[parts.port]}"))
        os.environ[name] = url
        setattr(settings, name, url)


def _interrupt(signum, frame):
    raise KeyboardInterrupt


class Child:
    """One supervised process; its output is copied to ours with a [name] prefix."""

    def __init__(self, name, argv, out):
        self.name, self.argv, self.out = name, argv, out
        self.process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1,
                                        cwd=settings.BASE_DIR, start_new_session=True)
        threading.Thread(target=self._copy_output, daemon=True).start()

    def _copy_output(self):
        for line in self.process.stdout:
            self.out.write(f"[{self.name}] {line.rstrip()}")

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)

    def wait_or_kill(self, seconds):
        try:
            self.process.wait(seconds)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


class Command(BaseCommand):
    help = "Run the demo: sandboxes, web, Celery worker and beat, with a seeded demo tenant. Ctrl-C stops it."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--no-sandboxes", action="store_true", help="do not start the API sandboxes")
        parser.add_argument("--sandbox-port", action="append", default=[], metavar="KEY=PORT",
                            help="serve that sandbox on another port (its base URLs follow, unless set in the "
                                 "environment)")
        parser.add_argument("--port-offset", type=int, default=0,
                            help="serve every sandbox (and its FTP) at its demo port + this, e.g. to run a second "
                                 "demo beside the first")

    def handle(self, host, port, no_sandboxes, sandbox_port, port_offset, **options):
        self.children = []
        self.sandbox_ports, self.port_offset = _key_ports(sandbox_port), port_offset
        # The worker's checks fetch the feed where the channel would: at this demo's own address.
        os.environ.setdefault("PUBLIC_URL", f"http://{host}:{port}")
        self.prepare_var_dirs()
        self.stdout.write(f"database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]} "
                          f"{settings.DATABASES['default']['NAME']}; "
                          f"broker: {settings.CELERY_BROKER_URL.split('@')[-1]}")
        call_command("migrate", interactive=False, verbosity=0)
        signal.signal(signal.SIGINT, signal.default_int_handler)  # even when started in the background
        signal.signal(signal.SIGTERM, _interrupt)
        try:
            sandboxes = [] if no_sandboxes else self.start_sandboxes(host)
            call_command("demo_seed", stdout=self.stdout, stderr=self.stderr)
            self.start_services(host, port)
            self.wait_until_serving(host, port)
            self.print_welcome(host, port, sandboxes)
            self.supervise()
        except KeyboardInterrupt:
            self.stdout.write("\nstopping …")
        finally:
            self.stop_all()

    def prepare_var_dirs(self):
        var = Path(settings.VAR_DIR)
        for folder in (var, var / "broker", var / "broker" / "processed", var / "broker" / "control"):
            folder.mkdir(parents=True, exist_ok=True)

    def start_sandboxes(self, host):
        """Each channel's sandbox on its demo port; returns [(channel key, port, credentials lines)]."""
        started = []
        for name, spec in sandboxes().items():
            sandbox_port = self.sandbox_ports.get(name, spec.port + self.port_offset)
            args, moved = ports_moved(spec.args, self.port_offset)
            _base_urls_point_at(channel_get(name), {**moved, spec.port: sandbox_port})
            command = [sys.executable, MANAGE, "sandbox", name, "--port", str(sandbox_port), *args]
            self.spawn(f"sandbox-{name}", command)
            self.wait_until_listening(host, sandbox_port, f"sandbox-{name}")
            started.append((name, sandbox_port, spec.credentials({}) if spec.credentials else {}))
        return started

    def start_services(self, host, port):
        python = sys.executable
        self.spawn("web", [python, "-m", "gunicorn", "connector.wsgi", "--bind", f"{host}:{port}", "--workers", "2",
                           "--worker-class", "gthread", "--threads", "8", "--access-logfile", "-",
                           "--logger-class", "connector.logs.RedactingGunicornLogger", "--graceful-timeout", "5"])
        workers = self.worker_queues()
        for name, queues in workers:
            node = ["-n", f"{name}@%h"] if len(workers) > 1 else []
            self.spawn(name, [python, "-m", "celery", "-A", "connector", "worker", "--pool=solo", "-Q", queues,
                              *node, "--loglevel=INFO"])
        schedule_file = str(Path(settings.VAR_DIR) / "celerybeat-schedule")
        self.spawn("beat", [python, "-m", "celery", "-A", "connector", "beat", "--loglevel=INFO", "-s", schedule_file])

    @staticmethod
    def worker_queues():
        """On PostgreSQL one worker per queue, as in production (README), so a bulk sync never delays an
        order; on SQLite one worker for every queue (SQLite has one writer at a time)."""
        if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
            return [("worker", ",".join((TICK_QUEUE, *QUEUES)))]
        return [(f"worker-{queue}", queue) for queue in (TICK_QUEUE, *QUEUES)]

    def spawn(self, name, argv):
        self.children.append(Child(name, argv, self.stdout))

    def wait_until_listening(self, host, port, name, seconds=30):
        deadline = time.monotonic() + seconds
        while not port_open(host, port):
            self.check_children()
            if time.monotonic() > deadline:
                raise CommandError(f"{name} is not listening on {host}:{port} after {seconds}s")
            time.sleep(0.2)

    def wait_until_serving(self, host, port, seconds=90):
        """Until a web worker answers (the socket listens before the workers have loaded Django)."""
        deadline = time.monotonic() + seconds
        while True:
            self.check_children()
            try:
                with urllib.request.urlopen(f"http://{host}:{port}/healthz", timeout=5) as response:
                    if response.status == 200:
                        return
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise CommandError(f"web does not answer on http://{host}:{port}/healthz after {seconds}s")
            time.sleep(0.3)

    def print_welcome(self, host, port, sandboxes):
        w = self.stdout.write
        w("")
        rows = [("Connector demo:", f"http://{host}:{port}/"),
                ("Store owner:", f"{DEMO_OWNER} / {DEMO_PASSWORD}"),
                ("Support (admin):", f"http://{host}:{port}/admin/  {DEMO_SUPPORT} / {DEMO_PASSWORD}")]
        for name, sandbox_port, credentials in sandboxes:
            rows.append((f"{name.title()} sandbox:", f"http://{host}:{sandbox_port}/sandbox/"))
            rows += [(f"  {field}:", value) for field, value in credentials.items()]
        for label, value in rows:
            w(f"  {label.ljust(26)}{value}")
        w("  Ctrl-C stops everything.")
        w("")

    def check_children(self):
        for child in self.children:
            code = child.process.poll()
            if code is not None:
                raise CommandError(f"{child.name} stopped (exit code {code}); stopping the demo")

    def supervise(self):
        while True:
            self.check_children()
            time.sleep(0.5)

    def stop_all(self):
        for child in reversed(self.children):
            child.stop()
        for child in reversed(self.children):
            child.wait_or_kill(10)
