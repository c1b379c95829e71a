"""An httpx transport straight into the sandbox's WSGI app, with the network faults a socket would show."""
import httpx


class SandboxTransport(httpx.WSGITransport):
    def __init__(self, sandbox):
        super().__init__(app=sandbox.wsgi_app)
        self.sb = sandbox

    def handle_request(self, request):
        method, path = request.method, request.url.path
        fault = self.sb.fault_take(method, path, {"timeout", "drop_after_commit"})
        if fault == "timeout":
            raise httpx.ReadTimeout("sandbox fault: timeout", request=request)
        response = super().handle_request(request)
        if fault == "drop_after_commit":
            response.read()
            raise httpx.RemoteProtocolError("sandbox fault: connection dropped after the write", request=request)
        return response
