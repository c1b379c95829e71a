"""One httpx transport into a sandbox's WSGI app, playing the network faults a socket would show:
`timeout` raises ReadTimeout without running the request; `drop_after_commit` runs it, then the
connection drops (RemoteProtocolError). The app sees `sandbox.transport` in its environ."""
import io

import httpx

from .faults import NETWORK_KINDS


class SandboxTransport(httpx.BaseTransport):
    def __init__(self, wsgi_app, faults, on_fault=None):
        self.wsgi_app = wsgi_app
        self.faults = faults
        self.on_fault = on_fault or (lambda method, path, query, kind, status: None)

    def handle_request(self, request):
        method, path = request.method, request.url.path
        fault = self.faults.take(method, path, NETWORK_KINDS)
        if fault == "timeout":
            self.on_fault(method, path, request.url.query.decode(), fault, 504)
            raise httpx.ReadTimeout("sandbox fault: timeout (the request was not executed)", request=request)
        response = self._call_app(request)
        if fault == "drop_after_commit":
            self.on_fault(method, path, request.url.query.decode(), fault, response.status_code)
            raise httpx.RemoteProtocolError("Server disconnected without sending a response.", request=request)
        return response

    def _call_app(self, request):
        body = request.read()
        environ = wsgi_environ(request, body)
        captured = {}

        def start_response(status, headers, exc_info=None):
            captured["status"], captured["headers"] = int(status.split(" ", 1)[0]), headers
            return lambda data: None

        chunks = self.wsgi_app(environ, start_response)
        try:
            content = b"".join(chunks)
        finally:
            if hasattr(chunks, "close"):
                chunks.close()
        return httpx.Response(captured["status"], headers=captured["headers"], content=content, request=request)


def wsgi_environ(request, body):
    url = request.url
    environ = {
        "REQUEST_METHOD": request.method, "SCRIPT_NAME": "", "PATH_INFO": url.path,
        "QUERY_STRING": url.query.decode("ascii"), "RAW_URI": url.raw_path.decode("ascii"),
        "SERVER_NAME": url.host, "SERVER_PORT": str(url.port or (443 if url.scheme == "https" else 80)),
        "SERVER_PROTOCOL": "HTTP/1.1", "wsgi.version": (1, 0), "wsgi.url_scheme": url.scheme,
        "wsgi.input": io.BytesIO(body), "wsgi.errors": io.StringIO(), "wsgi.multithread": True,
        "wsgi.multiprocess": False, "wsgi.run_once": False, "sandbox.transport": True,
        "CONTENT_LENGTH": str(len(body)),
    }
    for name, value in request.headers.multi_items():
        key = name.upper().replace("-", "_")
        if key == "CONTENT_TYPE":
            environ["CONTENT_TYPE"] = value
        elif key != "CONTENT_LENGTH":
            environ[f"HTTP_{key}"] = value
    return environ
