"""Armed faults: the next `times` requests matching a method and a path substring get `kind`.

Network kinds (`timeout`, `drop_after_commit`, `hold`) are played by the transport or the loopback server; every
other kind is answered by the sandbox's app in its API's own error shape. Control paths are never faulted.
"""
import threading
from dataclasses import asdict, dataclass

NETWORK_KINDS = frozenset({"timeout", "drop_after_commit", "hold"})  # hold: connector.sandbox_kit.hold
CONTROL_PREFIX = "/sandbox"


@dataclass
class Fault:
    kind: str
    method: str | None = None
    path_contains: str | None = None
    times: int = 1

    def applies(self, method, path):
        return ((self.method is None or self.method == method.upper())
                and (self.path_contains is None or self.path_contains in path))


class FaultInjector:
    def __init__(self, kinds):
        self.kinds = tuple(kinds)
        self.pending = []
        self.lock = threading.Lock()

    def inject(self, kind, method=None, path_contains=None, times=1):
        kind = str(kind)
        if kind not in self.kinds:
            raise ValueError(f"unknown fault {kind!r}; choose one of {', '.join(self.kinds)}")
        fault = Fault(kind, (method or "").upper() or None, path_contains or None, int(times))
        with self.lock:
            self.pending.append(fault)

    def take(self, method, path, kinds=None):
        """The first armed fault (of `kinds`, default any) matching the request, consumed; or None."""
        if path.startswith(CONTROL_PREFIX):
            return None
        with self.lock:
            for fault in self.pending:
                if (kinds is None or fault.kind in kinds) and fault.applies(method, path):
                    fault.times -= 1
                    if fault.times <= 0:
                        self.pending.remove(fault)
                    return fault.kind
        return None

    def clear(self):
        with self.lock:
            self.pending.clear()

    def describe(self):
        with self.lock:
            return [asdict(f) for f in self.pending]
