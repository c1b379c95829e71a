"""Serving a sandbox's WSGI app on loopback, for `manage.py sandbox <name>` and the demo."""
from urllib.parse import urlsplit

from werkzeug.serving import make_server


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
