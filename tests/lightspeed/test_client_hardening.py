"""The Lightspeed client against a misbehaving upstream: foreign `next` hosts, paging loops, bodies that
are not JSON objects. Each is a transient error (the run fails and is retried later), never a traceback
of our own, and the bearer token never leaves the API's host."""
import json

import httpx
import pytest

from connector.clock import FakeClock
from connector.errors import TransientError
from connector.http import BadResponse
from lightspeed.client import LightspeedClient, StaticToken

API = "https://api.lightspeedapp.com"
PAGE = "/API/V3/Account/1/Item.json"


def envelope(rows, next_url=""):
    return {"@attributes": {"next": next_url, "previous": ""}, "Item": rows}


@pytest.fixture
def upstream(settings):
    """A fake API answering each request with the next of `answers` (a dict is JSON, a str raw text)."""
    settings.LIGHTSPEED_API_URL = API
    seen = []
    answers = []

    def handler(request):
        seen.append(request)
        answer = answers[min(len(seen), len(answers)) - 1]
        if isinstance(answer, dict):
            return httpx.Response(200, json=answer)
        return httpx.Response(200, text=answer, headers={"Content-Type": "text/html"})

    client = LightspeedClient(tokens=StaticToken("secret-bearer"), account_id="1", clock=FakeClock(),
                              transport=httpx.MockTransport(handler))
    return client, answers, seen


def test_next_on_another_host_is_not_followed_and_never_sees_the_token(upstream):
    client, answers, seen = upstream
    answers += [envelope([{"itemID": "1"}], "https://evil.example/API/V3/Account/1/Item.json?after=x")]
    rows = client.iterate("Item")
    assert next(rows)["itemID"] == "1"
    with pytest.raises(BadResponse) as caught:
        next(rows)
    assert isinstance(caught.value, TransientError) and "off the API host" in str(caught.value)
    assert [r.url.host for r in seen] == ["api.lightspeedapp.com"]


@pytest.mark.parametrize("foreign", ["http://api.lightspeedapp.com/API/V3/x.json",  # scheme downgrade
                                     "https://api.lightspeedapp.com:8443/API/V3/x.json", "//evil.example/x"])
def test_next_with_another_scheme_port_or_a_protocol_relative_host_is_refused(upstream, foreign):
    client, answers, seen = upstream
    answers += [envelope([], foreign)]
    with pytest.raises(BadResponse):
        list(client.iterate("Item"))
    assert len(seen) == 1


def test_next_on_the_own_host_is_followed(upstream):
    client, answers, seen = upstream
    answers += [envelope({"itemID": "1"}, f"{API}{PAGE}?after=WzFd"), envelope({"itemID": "2"})]
    assert [r["itemID"] for r in client.iterate("Item")] == ["1", "2"]
    assert all(r.headers["Authorization"] == "Bearer secret-bearer" for r in seen)


def test_an_absolute_url_on_another_host_is_refused_before_sending(upstream):
    client, answers, seen = upstream
    answers += [envelope([])]
    with pytest.raises(BadResponse):
        client.get("https://evil.example/steal.json")
    assert seen == []


def test_a_paging_loop_is_detected(upstream):
    client, answers, seen = upstream
    loop = f"{API}{PAGE}?after=WzFd"
    answers += [envelope({"itemID": "1"}, loop), envelope({"itemID": "2"}, loop)]
    with pytest.raises(BadResponse) as caught:
        list(client.iterate("Item"))
    assert "paging loop" in str(caught.value) and len(seen) == 2


@pytest.mark.parametrize("body", ["<html><body>502 Bad Gateway</body></html>", "", '{"@attributes": {"ne',
                                  "[1, 2]", '"just a string"', json.dumps({"@attributes": "x", "Item": []})])
def test_an_unreadable_body_is_a_transient_error(upstream, body):
    client, answers, seen = upstream
    answers += [body]
    with pytest.raises(TransientError):
        list(client.iterate("Item"))


def test_an_unreadable_body_on_get_is_a_transient_error(upstream):
    client, answers, seen = upstream
    answers += ["<html>maintenance</html>"]
    with pytest.raises(BadResponse) as caught:
        client.get("Shop")
    assert "unreadable" in str(caught.value) and caught.value.status == 200
