"""An httpx transport into the sandbox's WSGI app, honouring injected faults."""
import io

import httpx


class SandboxTransport(httpx.BaseTransport):
    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app

    def handle_request(self, request):
        body = request.read()
        environ = _environ(request, body)
        captured = {}

        def start_response(status, headers, exc_info=None):
            captured["status"] = int(status.split(" ", 1)[0])
            captured["headers"] = headers
            return lambda data: None

        chunks = self.wsgi_app(environ, start_response)
        try:
            content = b"".join(chunks)
        finally:
            if hasattr(chunks, "close"):
                chunks.close()
        fault = environ.get("lssandbox.fault")
        if fault == "timeout":
            raise httpx.ReadTimeout("sandbox: injected timeout", request=request)
        if fault == "drop_after_commit":
            raise httpx.RemoteProtocolError("Server disconnected without sending a response.", request=request)
        return httpx.Response(captured["status"], headers=captured["headers"], content=content, request=request)


def _environ(request, body):
    url = request.url
    environ = {
        "REQUEST_METHOD": request.method,
        "SCRIPT_NAME": "",
        "PATH_INFO": url.path,
        "QUERY_STRING": url.query.decode("ascii"),
        "SERVER_NAME": url.host,
        "SERVER_PORT": str(url.port or (443 if url.scheme == "https" else 80)),
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": url.scheme,
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": io.StringIO(),
        "wsgi.multithread": True,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
        "lssandbox.transport": True,
        "CONTENT_LENGTH": str(len(body)),
    }
    for name, value in request.headers.multi_items():
        key = name.upper().replace("-", "_")
        if key == "CONTENT_TYPE":
            environ["CONTENT_TYPE"] = value
        elif key != "CONTENT_LENGTH":
            environ[f"HTTP_{key}"] = value
    return environ
