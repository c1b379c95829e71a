"""One base for every external HTTP API: timeouts, typed errors, retries, redaction.

A subclass sets `name`, may override `authorize(request)` (add auth headers or a
signature), `observe(response)` (read rate-limit headers) and `wait_before(request)`
(throttle), and calls `self.request(...)`.

One httpx.Client per (base URL, timeout, transport) and process is shared by every instance,
across tenants and threads (building one costs ~34 ms of CPU, mostly its SSL context). It holds
no per-tenant state: auth is added to each request by `authorize`, and it keeps no cookies.
"""
import http.cookiejar
import logging
import os
import random
import threading
import time
import weakref

import httpx
from django.conf import settings

from .clock import system_clock
from .errors import ConfigError, RecordError, TransientError
from .redact import redact_text

log = logging.getLogger(__name__)

IDEMPOTENT_METHODS = {"GET", "HEAD", "OPTIONS", "PUT", "DELETE"}

# Tests and the benchmarks route a client (by its `name`) to a sandbox's httpx transport.
transport_overrides = {}


class ApiError(Exception):
    def __init__(self, message, *, status=None, body=None, method=None, url=None):
        super().__init__(redact_text(message))
        self.status = status
        self.body = body
        self.method = method
        self.url = url


class Unauthorized(ApiError):
    pass


class Forbidden(ApiError):
    pass


class NotFound(ApiError):
    pass


class Invalid(ApiError, RecordError):
    """4xx other than auth/404/429: the request itself is wrong (usually one bad record)."""

    def __init__(self, message, **kwargs):
        ApiError.__init__(self, message, **kwargs)
        self.data = {"status": kwargs.get("status")}


class Transient(ApiError, TransientError):
    def __init__(self, message, *, retry_after=None, **kwargs):
        ApiError.__init__(self, message, **kwargs)
        self.retry_after = retry_after


class RateLimited(Transient):
    pass


class RetryAfterTooLong(Transient):
    """The API asked us to wait longer than `retry_after_cap`: give up this run instead of sleeping."""


class BadResponse(Transient):
    """A 2xx we cannot use (HTML, empty, truncated, wrong type, a paging loop): the upstream misbehaves."""


def json_object(response, name):
    """The body as a JSON object, or BadResponse: a broken upstream is a transient error, not our bug."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if not isinstance(body, dict):
        kind = response.headers.get("Content-Type", "no content type")
        raise BadResponse(f"{name}: unreadable response body ({kind}, {len(response.content)} bytes)",
                          status=response.status_code, body=response.text[:500],
                          method=response.request.method, url=str(response.request.url))
    return body


class Misconfigured(ApiError, ConfigError):
    def __init__(self, message, *, pause_tenant=False, **kwargs):
        ApiError.__init__(self, message, **kwargs)
        self.pause_tenant = pause_tenant


class _NoCookies(http.cookiejar.DefaultCookiePolicy):
    """A shared client must not carry one tenant's cookies into another tenant's request."""

    def set_ok(self, cookie, request):
        return False

    def return_ok(self, cookie, request):
        return False


_clients = {}  # (pid, base_url, timeout) -> httpx.Client, for the real network
_clients_by_transport = weakref.WeakKeyDictionary()  # injected transport -> {key: httpx.Client}
_clients_lock = threading.Lock()


def shared_http_client(*, base_url, timeout, transport=None):
    """The process's client for this API; a new process (a forked worker) builds its own."""
    key = (os.getpid(), str(base_url), float(timeout))
    with _clients_lock:
        clients = _clients if transport is None else _clients_by_transport.setdefault(transport, {})
        client = clients.get(key)
        if client is None or client.is_closed:
            client = clients[key] = httpx.Client(
                base_url=base_url, transport=transport, timeout=timeout, follow_redirects=False,
                cookies=http.cookiejar.CookieJar(policy=_NoCookies()),
            )
        return client


def retry_after_seconds(response):
    value = response.headers.get("Retry-After")
    try:
        return max(0.0, float(value)) if value is not None else None
    except ValueError:
        return None


class _DeadlineStream(httpx.SyncByteStream):
    def __init__(self, inner, until, request):
        self.inner, self.until, self.request = inner, until, request

    def __iter__(self):
        for chunk in self.inner:
            if time.monotonic() > self.until:
                raise httpx.ReadTimeout("response not complete within the deadline", request=self.request)
            yield chunk

    def close(self):
        self.inner.close()


class BaseApiClient:
    name = "api"
    max_attempts = 4
    backoff_base = 1.0
    backoff_cap = 60.0
    deadline = None  # seconds for a whole call, retries and waits included (default HTTP_DEADLINE_SECONDS)
    retry_after_cap = 120.0  # a longer Retry-After fails the run (transient) instead of holding a worker

    def __init__(self, *, base_url, transport=None, clock=None, timeout=None, deadline=None):
        self.clock = clock or system_clock
        self.deadline = float(deadline or self.deadline or settings.HTTP_DEADLINE_SECONDS)
        self.http = shared_http_client(base_url=base_url, timeout=timeout or settings.HTTP_TIMEOUT_SECONDS,
                                       transport=transport or transport_overrides.get(self.name))

    def close(self):
        """The shared client stays open for the next instance."""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # Hooks for subclasses.
    def authorize(self, request):
        """Add auth headers or a signature to the built request."""

    def wait_before(self, request):
        """Block until the request may be sent (rate limiting)."""

    def observe(self, request, response):
        """Read whatever the response tells about limits."""

    def error_message(self, response):
        return response.text[:500]

    def request(self, method, url, *, retry=None, **kwargs):
        """Send with retries; `retry` defaults to True only for idempotent methods (429s are always retried)."""
        method = method.upper()
        retry = method in IDEMPOTENT_METHODS if retry is None else retry
        gives_up_at = self.clock.time() + self.deadline
        attempt = 0
        while True:
            attempt += 1
            try:
                return self._send_once(method, url, **kwargs)
            except Transient as exc:
                refused = isinstance(exc, RateLimited)  # a 429 did nothing, so even a write may be resent
                if not (retry or refused) or attempt >= self.max_attempts or isinstance(exc, RetryAfterTooLong):
                    raise
                delay = self.backoff_delay(attempt, exc.retry_after)
                if self.clock.time() + delay > gives_up_at:
                    raise Transient(f"{self.name}: gave up after {attempt} attempt(s), the call's {self.deadline:.0f}s "
                                    f"deadline would pass ({exc})", retry_after=exc.retry_after,
                                    method=method, url=exc.url) from exc
                log.warning("%s %s %s: %s; retry %d in %.1fs", self.name, method, url, exc, attempt, delay)
                self.clock.sleep(delay)

    def backoff_delay(self, attempt, retry_after=None):
        if retry_after is not None:
            return retry_after
        return min(self.backoff_cap, self.backoff_base * 2 ** (attempt - 1)) * (1 + random.random() / 4)

    def _send_once(self, method, url, **kwargs):
        request = self.http.build_request(method, url, **kwargs)
        self.authorize(request)
        self.wait_before(request)
        try:
            response = self._send_within(request, time.monotonic() + self.deadline)
        except httpx.TimeoutException as exc:
            raise Transient(f"{self.name}: timed out ({type(exc).__name__})", method=method, url=str(request.url))
        except httpx.TransportError as exc:
            raise Transient(f"{self.name}: connection failed ({exc})", method=method, url=str(request.url))
        self.observe(request, response)
        if response.is_success:
            return response
        raise self.error_for(request, response)

    def _send_within(self, request, until):
        """Send and read the whole body by `until`: the read timeout bounds each wait for a chunk, this
        bounds a server that drips its answer a byte at a time."""
        response = self.http.send(request, stream=True)
        response.stream = _DeadlineStream(response.stream, until, request)
        try:
            response.read()
        finally:
            response.close()
        return response

    def error_for(self, request, response):
        status = response.status_code
        message = f"{self.name} {request.method} {request.url.path}: HTTP {status} {self.error_message(response)}"
        kwargs = {"status": status, "body": response.text[:2000], "method": request.method, "url": str(request.url)}
        retry_after = retry_after_seconds(response)
        if retry_after is not None and retry_after > self.retry_after_cap and (status == 429 or status >= 500):
            return RetryAfterTooLong(
                f"{message} (Retry-After {retry_after:.0f}s is over the {self.retry_after_cap:.0f}s cap)",
                retry_after=retry_after, **kwargs)
        if status == 429:
            return RateLimited(message, retry_after=retry_after_seconds(response), **kwargs)
        if status >= 500:
            return Transient(message, retry_after=retry_after_seconds(response), **kwargs)
        if status == 401:
            return Unauthorized(message, **kwargs)
        if status == 403:
            return Forbidden(message, **kwargs)
        if status == 404:
            return NotFound(message, **kwargs)
        return Invalid(message, **kwargs)
