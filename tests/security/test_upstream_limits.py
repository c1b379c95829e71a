"""Every external call has a total deadline: retries stop when it would pass, and a dripping body is cut off."""
import time

import httpx
import pytest

from connector.clock import FakeClock
from connector.http import BaseApiClient, Transient


def test_retries_stop_when_the_deadline_would_pass():
    seen = []

    def handler(request):
        seen.append(request.method)
        return httpx.Response(503, headers={"Retry-After": "7"})

    clock = FakeClock()
    client = BaseApiClient(base_url="http://api.test", transport=httpx.MockTransport(handler), clock=clock,
                           deadline=10)
    with pytest.raises(Transient, match="deadline"):
        client.request("GET", "/x")
    assert seen == ["GET", "GET"]  # one retry fits into 10 s, the next would not
    assert clock.time() - 1_790_000_000.0 == 7


class Drip(httpx.SyncByteStream):
    def __iter__(self):
        for _ in range(50):
            time.sleep(0.02)  # tiny bounded waits: 1 s at most
            yield b"x"


def test_a_body_that_drips_is_cut_off_at_the_deadline():
    client = BaseApiClient(base_url="http://api.test", deadline=0.1,
                           transport=httpx.MockTransport(lambda request: httpx.Response(200, stream=Drip())))
    started = time.monotonic()
    with pytest.raises(Transient, match="timed out"):
        client.request("POST", "/x")
    assert time.monotonic() - started < 0.5


def test_a_normal_answer_is_read_whole():
    client = BaseApiClient(base_url="http://api.test",
                           transport=httpx.MockTransport(lambda request: httpx.Response(200, json={"a": 1})))
    assert client.request("GET", "/x").json() == {"a": 1}
