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
