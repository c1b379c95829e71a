"""An httpx transport that serves requests with Django's test client, in this process and this test's
database transaction: for code that fetches the connector's own public URLs (PUBLIC_URL), the way an outside
service would (e.g. a channel's feed check)."""
import httpx
from django.test import Client


class DjangoTransport(httpx.BaseTransport):
    def handle_request(self, request):
        headers = {k: v for k, v in request.headers.items() if k.lower() not in {"host", "content-length"}}
        response = Client(raise_request_exception=False).generic(request.method, request.url.raw_path.decode(),
                                                                 data=request.read(),
                                    content_type=headers.pop("content-type", "application/octet-stream"),
                                    headers=headers)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        return httpx.Response(response.status_code, headers=list(response.items()), content=body, request=request)
