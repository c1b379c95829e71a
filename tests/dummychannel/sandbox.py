"""A tiny API: POST /login (account + key -> token), GET /items, POST /items (a write)."""
import httpx


class DummySandbox:
    account, api_key = "demo-account", "dummy-secret-key"

    def __init__(self, clock=None):
        self.pushed = []

    def handle(self, request):
        if request.url.path == "/login":
            ok = request.headers.get("X-Key") == self.api_key
            return httpx.Response(200 if ok else 401, json={"token": "t"} if ok else {"error": "bad key"})
        if request.method == "GET" and request.url.path == "/items":
            return httpx.Response(200, json={"items": [1, 2, 3]})
        if request.method == "POST" and request.url.path == "/items":
            self.pushed.append(request.content)
            return httpx.Response(201, json={"ok": True})
        return httpx.Response(404)

    def transport(self):
        return httpx.MockTransport(self.handle)
