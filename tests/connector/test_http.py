"""The one HTTP client base: typed errors, which requests are retried, and how long it waits."""
import httpx
import pytest

from connector.clock import FakeClock
from connector.errors import RecordError, TransientError
from connector.http import BaseApiClient, Invalid, NotFound, RateLimited, Transient, Unauthorized
from connector.redact import secret_register


def client_answering(*responses):
    """A client whose server answers with `responses` in turn (a status, or an exception to raise)."""
    seen = []

    def handler(request):
        seen.append(request.method)
        answer = responses[min(len(seen), len(responses)) - 1]
        if isinstance(answer, Exception):
            raise answer
        status, headers, text = (*answer, "body")[:3] if isinstance(answer, tuple) else (answer, {}, "body")
        return httpx.Response(status, headers=headers, text=text)

    clock = FakeClock()
    client = BaseApiClient(base_url="http://api.test", transport=httpx.MockTransport(handler), clock=clock)
    return client, seen, clock


def test_a_read_is_retried_on_503_honouring_retry_after():
    client, seen, clock = client_answering((503, {"Retry-After": "7"}), 200)
    start = clock.time()
    assert client.request("GET", "/x").status_code == 200
    assert seen == ["GET", "GET"]
    assert clock.time() - start == 7


def test_a_write_is_not_resent_after_a_500_or_a_timeout():
    for failure in (500, httpx.ReadTimeout("slow")):
        client, seen, _ = client_answering(failure, 200)
        with pytest.raises(Transient):
            client.request("POST", "/sale")
        assert seen == ["POST"]


def test_a_429_is_resent_even_for_a_write_because_nothing_was_done():
    client, seen, clock = client_answering((429, {"Retry-After": "3"}), 200)
    start = clock.time()
    assert client.request("POST", "/sale").status_code == 200
    assert seen == ["POST", "POST"] and clock.time() - start == 3


def test_retries_stop_after_max_attempts():
    client, seen, _ = client_answering(429)
    with pytest.raises(RateLimited) as caught:
        client.request("GET", "/x")
    assert len(seen) == client.max_attempts
    assert isinstance(caught.value, TransientError)


@pytest.mark.parametrize("status, error", [(401, Unauthorized), (404, NotFound), (400, Invalid), (422, Invalid)])
def test_errors_are_typed_and_not_retried(status, error):
    client, seen, _ = client_answering(status)
    with pytest.raises(error) as caught:
        client.request("GET", "/x")
    assert seen == ["GET"] and caught.value.status == status
    assert isinstance(caught.value, RecordError) == (error is Invalid)


def test_a_connection_failure_is_transient():
    client, _, _ = client_answering(httpx.ConnectError("refused"))
    with pytest.raises(Transient, match="connection failed"):
        client.request("GET", "/x", retry=False)


def test_a_registered_secret_never_reaches_the_error_message():
    secret_register("tok-SECRET-123456")
    client, _, _ = client_answering((400, {}, "bad token tok-SECRET-123456"))
    with pytest.raises(Invalid) as caught:
        client.request("GET", "/items")
    assert "bad token" in str(caught.value) and "tok-SECRET-123456" not in str(caught.value)


class _TenantClient(BaseApiClient):
    name = "shared-test"

    def __init__(self, token, **kwargs):
        super().__init__(**kwargs)
        self.token = token

    def authorize(self, request):
        request.headers["Authorization"] = f"Bearer {self.token}"


def test_one_http_client_per_api_is_shared_across_tenants_with_per_request_auth_and_no_cookies():
    seen = []

    def handler(request):
        seen.append((request.headers.get("Authorization"), request.headers.get("Cookie")))
        return httpx.Response(200, headers={"Set-Cookie": "session=tenant-a; Path=/"}, text="ok")

    transport = httpx.MockTransport(handler)
    a = _TenantClient("token-a", base_url="http://api.test", transport=transport)
    b = _TenantClient("token-b", base_url="http://api.test", transport=transport)
    assert a.http is b.http
    a.request("GET", "/x")
    a.close()  # closing one instance leaves the shared client usable
    b.request("GET", "/x")
    assert seen == [("Bearer token-a", None), ("Bearer token-b", None)]
    assert "Authorization" not in a.http.headers


def test_the_real_network_client_is_built_once_per_base_url():
    first = BaseApiClient(base_url="https://api.example.invalid")
    second = BaseApiClient(base_url="https://api.example.invalid")
    other = BaseApiClient(base_url="https://other.example.invalid")
    assert first.http is second.http
    assert other.http is not first.http


@pytest.mark.parametrize("status", [429, 503])
def test_a_retry_after_over_the_cap_is_a_transient_failure_not_a_long_sleep(status):
    client, seen, clock = client_answering((status, {"Retry-After": "3600"}), 200)
    start = clock.time()
    with pytest.raises(TransientError) as caught:
        client.request("GET", "/x")
    assert "cap" in str(caught.value) and seen == ["GET"] and clock.time() == start


def test_a_retry_after_at_the_cap_is_still_honoured():
    client, seen, clock = client_answering((429, {"Retry-After": str(int(BaseApiClient.retry_after_cap))}), 200)
    start = clock.time()
    assert client.request("GET", "/x").status_code == 200
    assert clock.time() - start == BaseApiClient.retry_after_cap
