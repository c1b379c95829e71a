"""The sandbox's WSGI application: OAuth, API, control surface, faults and the request log."""
import socket
import time

from werkzeug.wrappers import Request, Response

from . import control
from .api import ApiHandler
from .envelope import error_body, json_response
from .oauth import OAuthServer
from .tokens import jwks

OAUTH_ROUTES = {
    "/auth/oauth/authorize": "authorize", "/oauth/authorize.php": "authorize",
    "/auth/oauth/token": "token", "/auth/oauth/revoke": "revoke", "/auth/oauth/introspect": "introspect",
}


class SandboxApp:
    def __init__(self, sandbox):
        self.sb = sandbox
        self.oauth = OAuthServer(sandbox)
        self.api = ApiHandler(sandbox)

    def __call__(self, environ, start_response):
        request = Request(environ)
        if request.path.startswith("/sandbox"):
            with self.sb.state.lock:
                self.sb.state.touch()
                return control.handle(self.sb, request)(environ, start_response)
        fault = self.sb.faults.take(request.method, request.path)
        if fault in ("500", "503"):
            response = json_response(error_body(int(fault), "Injected sandbox fault."), int(fault))
            self._log(request, response.status_code, 0.0, fault)
            return response(environ, start_response)
        if fault == "timeout":
            environ["lssandbox.fault"] = "timeout"
            if not environ.get("lssandbox.transport"):
                time.sleep(self.sb.timeout_seconds)
            self._log(request, 504, 0.0, fault)
            return Response("", status=504)(environ, start_response)
        with self.sb.state.lock:
            response, cost = self._dispatch(request)
            self._log(request, response.status_code, cost, fault)
        if fault == "drop_after_commit":
            environ["lssandbox.fault"] = fault
            _drop_connection(environ)
        return response(environ, start_response)

    def _dispatch(self, request):
        path = request.path
        if path.startswith("/API/"):
            return self.api(request)
        if path in OAUTH_ROUTES:
            return getattr(self.oauth, OAUTH_ROUTES[path])(request), 0.0
        if path == "/oauth/access_token.php":
            return self.oauth.token(request, legacy=True), 0.0
        if path == "/.well-known/jwks":
            return json_response(jwks()), 0.0
        if path == "/":
            return Response(control.index_page(self.sb), content_type="text/html; charset=utf-8"), 0.0
        return json_response(error_body(404, f"Not found: {path}"), 404), 0.0

    def _log(self, request, status, cost, fault):
        self.sb.request_log.append({
            "method": request.method, "path": request.path, "query": request.query_string.decode(),
            "status": status, "cost": cost, "fault": fault, "time": self.sb.now()})


def _drop_connection(environ):
    """Loopback mode: close the socket so the client sees the connection drop without a response."""
    sock = environ.get("werkzeug.socket")
    if sock is not None and not environ.get("lssandbox.transport"):
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
