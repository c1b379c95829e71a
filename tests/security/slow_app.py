"""The real app, plus one very large response (/big) for the slow-reader test of the gunicorn command."""
from connector.wsgi import application as django_app

CHUNK = b"x" * 65536
CHUNKS = 1024  # 64 MiB: far more than the loopback socket buffers hold


def application(environ, start_response):
    if environ.get("PATH_INFO") == "/big":
        start_response("200 OK", [("Content-Type", "application/octet-stream"),
                                  ("Content-Length", str(len(CHUNK) * CHUNKS))])
        return (CHUNK for _ in range(CHUNKS))
    return django_app(environ, start_response)
