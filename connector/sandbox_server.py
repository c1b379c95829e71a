"""Serving a sandbox's WSGI app on loopback, for `manage.py sandbox <name>` and the demo, and the network
faults only a real socket can show (the httpx transport of connector.sandbox_kit plays them in-process)."""
import socket
import time
from urllib.parse import urlsplit

from werkzeug.serving import make_server
from werkzeug.wrappers import Response

from connector.sandbox_kit.faults import NETWORK_KINDS


def wsgi_serve(app, *, port, banner, stdout):
    """Bind 127.0.0.1:port, print the banner (the server is ready), serve until Ctrl-C."""
    server = make_server("127.0.0.1", int(port), app, threaded=True)
    stdout.write(banner)
    if hasattr(stdout, "flush"):
        stdout.flush()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


def is_loopback(url):
    """Demo seeding only ever talks to a sandbox on this machine, never to a real API."""
    return urlsplit(url).hostname in {"127.0.0.1", "localhost", "::1"}


class LoopbackFaults:
    """WSGI middleware: over a socket, `timeout` holds the request `hold_seconds` and answers 504 without
    running it; `drop_after_commit` runs it, then shuts the socket before the answer; `hold` runs it
    `land_after_seconds` late (long after the client timed out). Requests that came
    through the in-process transport (`sandbox.transport` in the environ) had their network fault played
    there already."""

    def __init__(self, app, faults, *, hold_seconds=60.0, on_fault=None, sleep=time.sleep, land_after_seconds=300.0):
        self.app, self.faults, self.hold_seconds, self.sleep = app, faults, hold_seconds, sleep
        self.land_after_seconds = land_after_seconds  # `hold`: the request runs this late (the client gave up)
        self.on_fault = on_fault or (lambda method, path, query, kind, status: None)

    def __call__(self, environ, start_response):
        if environ.get("sandbox.transport"):
            return self.app(environ, start_response)
        method, path, query = environ["REQUEST_METHOD"], environ.get("PATH_INFO", ""), environ.get("QUERY_STRING", "")
        fault = self.faults.take(method, path, NETWORK_KINDS)
        if fault == "timeout":
            self.sleep(self.hold_seconds)
            self.on_fault(method, path, query, fault, 504)
            return Response("", status=504)(environ, start_response)
        if fault == "hold":
            return self.held(environ, start_response, method, path, query)
        if fault != "drop_after_commit":
            return self.app(environ, start_response)
        captured = []
        body = b"".join(self.app(environ, lambda status, headers, exc_info=None: captured.append(status)))
        self.on_fault(method, path, query, fault, int(captured[0].split()[0]) if captured else 0)
        _shut(environ)
        start_response("200 OK", [("Content-Length", str(len(body)))])
        return [body]


    def held(self, environ, start_response, method, path, query):
        """A proxy holding the request past the client's timeout, then forwarding it: it runs late."""
        self.on_fault(method, path, query, "hold", 0)
        self.sleep(self.land_after_seconds)
        return self.app(environ, start_response)


def _shut(environ):
    sock = environ.get("werkzeug.socket")
    if sock is not None:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
