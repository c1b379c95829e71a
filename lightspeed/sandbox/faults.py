"""Injected faults: 500, 503, timeout, drop_after_commit (the write happens, the response is lost)."""
import threading
from dataclasses import dataclass

KINDS = ("500", "503", "timeout", "drop_after_commit")


@dataclass
class Fault:
    kind: str
    method: str | None = None
    path_contains: str | None = None
    times: int = 1

    def applies(self, method, path):
        return ((self.method is None or self.method.upper() == method.upper())
                and (self.path_contains is None or self.path_contains in path))


class Faults:
    def __init__(self):
        self.pending = []
        self.lock = threading.Lock()

    def inject(self, kind, method=None, path_contains=None, times=1):
        kind = str(kind)
        if kind not in KINDS:
            raise ValueError(f"unknown fault {kind!r}; choose one of {', '.join(KINDS)}")
        with self.lock:
            self.pending.append(Fault(kind, method, path_contains, int(times)))

    def take(self, method, path):
        with self.lock:
            for fault in self.pending:
                if fault.applies(method, path):
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
            return [vars(f).copy() for f in self.pending]
