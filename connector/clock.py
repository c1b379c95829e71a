"""Injectable clocks. No test sleeps for real time; benchmarks run time-scaled."""
import threading
import time
from datetime import datetime, timezone


class SystemClock:
    def time(self):
        return time.time()

    def sleep(self, seconds):
        if seconds > 0:
            time.sleep(seconds)

    def now(self):
        return datetime.fromtimestamp(self.time(), tz=timezone.utc)


class ScaledClock(SystemClock):
    """Time passes `scale` times faster than real time, from `start` on."""

    def __init__(self, scale=1.0, start=None):
        self.scale = float(scale)
        self._real0 = time.time()
        self._virtual0 = self._real0 if start is None else start

    def time(self):
        return self._virtual0 + (time.time() - self._real0) * self.scale

    def sleep(self, seconds):
        if seconds > 0:
            time.sleep(seconds / self.scale)


class FakeClock(SystemClock):
    """Time moves only when someone sleeps or calls advance()."""

    def __init__(self, start=1_790_000_000.0):
        self._t = float(start)
        self._lock = threading.Lock()

    def time(self):
        return self._t

    def sleep(self, seconds):
        self.advance(seconds)

    def advance(self, seconds):
        with self._lock:
            self._t += max(0.0, float(seconds))


system_clock = SystemClock()
