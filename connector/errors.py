"""The three error classes every job failure falls into (docs/architecture.md)."""


class TransientError(Exception):
    """Try again later: a timeout, a 5xx, a rate limit. The run is retried with backoff."""

    def __init__(self, message="", *, retry_after=None):
        super().__init__(message)
        self.retry_after = retry_after


class ConfigError(Exception):
    """The owner must act (reconnect, map a shop). The schedule is paused with this message.

    pause_tenant=True pauses every schedule of the tenant (e.g. Lightspeed access revoked).
    """

    def __init__(self, message, *, pause_tenant=False):
        super().__init__(message)
        self.pause_tenant = pause_tenant


class RecordError(Exception):
    """One record cannot be processed (malformed order, unknown EAN). Logged on it; the batch goes on."""

    def __init__(self, message, *, data=None):
        super().__init__(message)
        self.data = data or {}


class RunLocked(Exception):
    """Another run of the same (tenant, job) is in progress."""


class Yield(Exception):
    """The run gives its worker slot back and comes back in `seconds`, e.g. instead of sleeping on a
    rate limit. A job that can resume adds `resume` (params for the next run, e.g. its cursor) with
    `with_resume()` on the way out; runs.py records the run as yielded and re-queues it."""

    def __init__(self, seconds, *, resume=None):
        super().__init__(f"yielded for {seconds:.1f}s")
        self.seconds = float(seconds)
        self.resume = dict(resume or {})

    def with_resume(self, **params):
        self.resume.update(params)
        return self


class WaitTooLong(Yield):
    """A rate limiter would make this run wait longer than its yield threshold."""
