"""The `hold` fault: a request held past the client's timeout still runs, late (over a socket and in-process)."""
import httpx
import pytest

from connector.sandbox_kit import FaultInjector
from connector.sandbox_kit.hold import HeldRequests, HoldingTransport
from connector.sandbox_server import LoopbackFaults


def recording_app(calls):
    def app(environ, start_response):
        calls.append(environ["PATH_INFO"])
        start_response("200 OK", [("Content-Type", "application/json")])
        return [b"{}"]
    return app


def test_loopback_hold_runs_the_request_after_the_client_gave_up():
    calls, slept, faults = [], [], FaultInjector(("hold",))
    middleware = LoopbackFaults(recording_app(calls), faults, sleep=slept.append, land_after_seconds=300)
    faults.inject("hold", method="POST", path_contains="/Sale")
    environ = {"REQUEST_METHOD": "POST", "PATH_INFO": "/API/Sale.json", "QUERY_STRING": ""}
    middleware(environ, lambda status, headers, exc_info=None: None)
    assert slept == [300] and calls == ["/API/Sale.json"]  # held 300 s, then run: the sale is made late
    middleware(environ, lambda status, headers, exc_info=None: None)
    assert slept == [300] and len(calls) == 2  # one fault, consumed


@pytest.mark.parametrize("armed", ["rule", "injector"])
def test_in_process_hold_times_out_now_and_lands_when_due(armed):
    calls, now = [], [1000.0]
    faults, held = FaultInjector(("hold",)), HeldRequests()
    transport = HoldingTransport(recording_app(calls), faults, held, now=lambda: now[0], hold_seconds=90)
    if armed == "rule":
        held.arm(90, method="POST", path_contains="/Sale")
    else:
        faults.inject("hold", method="POST", path_contains="/Sale")
    client = httpx.Client(transport=transport, base_url="http://sandbox")
    with pytest.raises(httpx.ReadTimeout):
        client.post("/API/Sale.json", json={"a": 1})
    assert calls == []
    now[0] += 89
    client.get("/API/Item.json")
    assert calls == ["/API/Item.json"]  # not due yet
    now[0] += 2
    client.get("/API/Item.json")
    assert calls == ["/API/Item.json", "/API/Sale.json", "/API/Item.json"]  # landed before the next request
    assert len(held.landed) == 1
