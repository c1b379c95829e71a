"""The sandbox's WSGI application: OAuth, API, control surface, injected 500/503 and the request log.
Network faults (timeout, drop_after_commit) are played by connector.sandbox_kit's transport in-process and
by connector.sandbox_server.LoopbackFaults over a socket."""
from werkzeug.wrappers import Request, Response

from .api import ApiHandler
from .control import index_page
from .envelope import error_body, json_response
from .oauth import OAuthServer
from .tokens import jwks

OAUTH_ROUTES = {
    "/auth/oauth/authorize": "authorize", "/oauth/authorize.php": "authorize",
    "/auth/oauth/token": "token", "/auth/oauth/revoke": "revoke", "/auth/oauth/introspect": "introspect",
}
STATUS_FAULTS = ("500", "503")


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
                return self.sb.control(request)(environ, start_response)
        fault = self.sb.faults.take(request.method, request.path, STATUS_FAULTS)
        if fault:
            response = json_response(error_body(int(fault), "Injected sandbox fault."), int(fault))
            self.sb.log_request(request.method, request.path, request.query_string.decode(), fault,
                                response.status_code)
            return response(environ, start_response)
        with self.sb.state.lock:
            response, cost = self._dispatch(request)
            self.sb.log_request(request.method, request.path, request.query_string.decode(), None,
                                response.status_code, cost)
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
            return Response(index_page(self.sb), content_type="text/html; charset=utf-8"), 0.0
        return json_response(error_body(404, f"Not found: {path}"), 404), 0.0
