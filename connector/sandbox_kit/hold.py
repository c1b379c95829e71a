"""The `hold` fault: a proxy holds a request past the client's timeout, then lets it through.

The client gets a ReadTimeout at once (it stopped waiting); the request itself lands `seconds` of sandbox
time later, run by the app as if it had just arrived (so a held sale POST creates the sale late). Held
requests land before the next request the transport sees once they are due, or on `land(now)`.
Armed with `HeldRequests.arm(seconds, ...)`, or as the injector's `hold` kind (the control page) for the
default length; over a socket, connector.sandbox_server.LoopbackFaults plays `hold` by running the request late.
"""
import threading
from dataclasses import dataclass

import httpx

from .transport import SandboxTransport


@dataclass
class HoldRule:
    seconds: float
    method: str | None = None
    path_contains: str | None = None
    times: int = 1

    def applies(self, method, path):
        return ((self.method is None or self.method == method.upper())
                and (self.path_contains is None or self.path_contains in path))


class HeldRequests:
    def __init__(self):
        self.rules, self.held, self.landed = [], [], []
        self.lock = threading.Lock()

    def arm(self, seconds, method=None, path_contains=None, times=1):
        with self.lock:
            self.rules.append(HoldRule(float(seconds), (method or "").upper() or None, path_contains or None,
                                       int(times)))

    def take(self, method, path):
        """The hold (seconds) for this request, consumed; or None."""
        with self.lock:
            for rule in self.rules:
                if rule.applies(method, path):
                    rule.times -= 1
                    if rule.times <= 0:
                        self.rules.remove(rule)
                    return rule.seconds
        return None

    def keep(self, request, land_at):
        with self.lock:
            self.held.append((land_at, request))

    def due(self, now, *, all_=False):
        with self.lock:
            ready = [(t, r) for t, r in self.held if all_ or t <= now]
            self.held = [(t, r) for t, r in self.held if not (all_ or t <= now)]
        return [r for _, r in sorted(ready, key=lambda pair: pair[0])]

    def describe(self):
        with self.lock:
            return {"rules": [vars(r).copy() for r in self.rules], "held": [
                {"method": r.method, "path": r.url.path, "lands_at": t} for t, r in self.held]}


class HoldingTransport(SandboxTransport):
    """The kit's transport plus `hold`: `now` is the sandbox's clock (seconds), `on_hold` logs the fault."""

    def __init__(self, wsgi_app, faults, held, *, now, on_fault=None, on_hold=None, hold_seconds=300.0):
        super().__init__(wsgi_app, faults, on_fault=on_fault)
        self.held, self.now, self.hold_seconds = held, now, hold_seconds
        self.on_hold = on_hold or (lambda method, path, query, seconds: None)

    def handle_request(self, request):
        self.land()
        seconds = self.held.take(request.method, request.url.path)
        if seconds is None and self.faults.take(request.method, request.url.path, {"hold"}):
            seconds = self.hold_seconds  # armed through the fault injector (control page, POST /sandbox/faults)
        if seconds is None:
            return super().handle_request(request)
        request.read()
        self.held.keep(request, self.now() + seconds)
        self.on_hold(request.method, request.url.path, request.url.query.decode(), seconds)
        raise httpx.ReadTimeout(f"sandbox fault: hold (the request lands {seconds:g}s later)", request=request)

    def land(self, *, all_=False):
        """Run the held requests that are due (all of them with all_=True); their answers go nowhere."""
        landed = self.held.due(self.now(), all_=all_)
        for request in landed:
            self._call_app(request)
            self.held.landed.append(request)
        return len(landed)
