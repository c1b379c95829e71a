"""BucklesSandbox: an in-memory Buckles hub speaking the PROVISIONAL contract of docs/buckles.md.

    sb = BucklesSandbox(clock=FakeClock(), seed=1)
    sb.token, sb.webhook_secret                    # the demo connection's credentials
    sb.webhook_url = "http://127.0.0.1:8000/channels/buckles/webhook/<token>/"
    sb.webhook_transport = httpx.WSGITransport(app=django_app)   # in-process delivery (tests)
    sb.emit("stock.changed", {"sku": "A1", "quantity": 4})       # stored in the feed and delivered, signed
    sb.orders, sb.products, sb.stock, sb.writes    # what the connector sent
    sb.faults.inject("drop_after_commit", method="PUT", path_contains="/orders/")
"""
import hashlib
import itertools
import json
import random
import threading
import uuid
from datetime import datetime, timezone

import httpx

from connector.clock import system_clock
from connector.sandbox_kit import FaultInjector, SandboxTransport
from connector.sandbox_server import LoopbackFaults

from ..signing import signed_headers

FAULT_KINDS = ("500", "503", "429", "422", "timeout", "drop_after_commit", "malformed_json")
DELIVERY_MODES = ("normal", "duplicate", "bad_signature", "stale", "hold", "none")
STALE_SECONDS = 3600
SEED_PRODUCTS = 5


def iso(ts):
    return datetime.fromtimestamp(ts, tz=timezone.utc).isoformat().replace("+00:00", "Z")


class ApiProblem(Exception):
    """A refused request: the contract's error envelope with this status."""

    def __init__(self, status, code, message, fields=None, retry_after=None):
        super().__init__(message)
        self.status, self.code, self.message, self.fields, self.retry_after = status, code, message, fields, retry_after


class BucklesSandbox:
    def __init__(self, *, clock=None, seed=1, rate_per_second=10.0, burst=100, timeout_seconds=60.0):
        self.clock = clock or system_clock
        self.seed = seed
        self.rng = random.Random(seed)
        self.lock = threading.RLock()
        digest = hashlib.sha256(f"buckles-sandbox-{seed}".encode()).hexdigest()
        self.account = f"demo-{seed}"
        self.token = f"bkl_{digest[:32]}"
        self.webhook_secret = f"whsec_{digest[32:64]}"
        self.products = {}  # sku -> product
        self.orders = {}  # (source, external_id) -> order
        self.customers = {}  # (source, external_id) -> customer
        self.checkouts = {}  # external_id -> checkout
        self.shipments = []  # shipments the connector posted
        self.stock = {}  # (sku, location or "") -> quantity
        self.events = []  # the feed: {"id", "type", "occurred_at", "data"}
        self.deliveries = []  # {"id", "type", "mode", "status"}
        self.writes = []  # (method, path) of every accepted write, in order
        self.idempotency = {}  # key -> (body hash, status, response)
        self.webhook_url = ""
        self.webhook_events = []
        self.webhook_transport = None  # httpx transport for deliveries (None: the network)
        self.held = []  # events emitted with mode="hold": delivered by release_held(), newest first
        self.request_log = []
        self.faults = FaultInjector(FAULT_KINDS)
        self.timeout_seconds = timeout_seconds
        self.rate_per_second, self.burst = rate_per_second, burst
        self.bucket_level, self.bucket_at = 0.0, None
        self._ids = itertools.count(1)
        self.seed_products(SEED_PRODUCTS)

    # --- WSGI, transport -------------------------------------------------------------------------
    @property
    def wsgi_app(self):
        from .app import SandboxApp
        from .control import BucklesControl

        if not hasattr(self, "_app"):
            self.control = BucklesControl(self)
            self._app = LoopbackFaults(SandboxApp(self), self.faults, hold_seconds=self.timeout_seconds,
                                       on_fault=self.log_network_fault)
        return self._app

    def transport(self):
        return SandboxTransport(self.wsgi_app, self.faults, on_fault=self.log_network_fault)

    def log_network_fault(self, method, path, query, kind, status):
        self.request_log.append({"method": method, "path": path, "query": query, "status": status, "fault": kind})

    def next_id(self, prefix):
        return f"{prefix}_{next(self._ids):06d}"

    # --- rate limit: a leaky bucket, `burst` deep, draining `rate_per_second` --------------------------
    def bucket_take(self):
        now = self.clock.time()
        if self.bucket_at is not None:
            self.bucket_level = max(0.0, self.bucket_level - (now - self.bucket_at) * self.rate_per_second)
        self.bucket_at = now
        if self.bucket_level + 1 > self.burst:
            wait = (self.bucket_level + 1 - self.burst) / self.rate_per_second
            raise ApiProblem(429, "rate_limited", "too many requests", retry_after=max(1, round(wait)))
        self.bucket_level += 1

    # --- other connections' data -----------------------------------------------------------------
    def seed_products(self, n):
        for i in range(1, n + 1):
            sku = f"EXT-{self.seed}-{i:03d}"
            self.product_add(sku=sku, barcode=f"87{self.seed:02d}{i:09d}", title=f"Product from another channel {i}")

    def product_add(self, *, sku, barcode=None, title="", origin="other_connection"):
        with self.lock:
            product = {"id": self.next_id("prd"), "sku": sku, "barcode": barcode, "title": title, "price": None,
                       "origin": origin, "linked": False}
            self.products[sku] = product
            return product

    def product_match(self, sku, barcode):
        if sku in self.products:
            return self.products[sku]
        if barcode:
            return next((p for p in self.products.values() if p.get("barcode") == barcode), None)
        return None

    # --- events: the feed and the signed deliveries ------------------------------------------------
    def emit(self, event_type, data, *, mode="normal", occurred_at=None):
        """A new event in the feed, delivered to the webhook (unless mode="none"). Returns the event."""
        if mode not in DELIVERY_MODES:
            raise ValueError(f"unknown delivery mode {mode!r}; choose one of {', '.join(DELIVERY_MODES)}")
        when = occurred_at if occurred_at is not None else self.clock.time()
        with self.lock:
            event = {"id": str(uuid.UUID(int=self.rng.getrandbits(128), version=4)), "type": event_type,
                     "occurred_at": iso(when), "data": {**data, "occurred_at": data.get("occurred_at") or iso(when)}}
            self.events.append(event)
        if mode == "hold":
            self.held.append(event)
        elif mode != "none":
            self.deliver(event, mode=mode)
        return event

    def release_held(self):
        """Deliver the held events newest first: out of order, as a retrying hub may."""
        held, self.held = self.held[::-1], []
        return [self.deliver(event) for event in held]

    def deliver(self, event, *, mode="normal"):
        """POST one event to the webhook URL, signed; returns the HTTP status (0: nothing listening)."""
        if not self.webhook_url:
            self.deliveries.append({"id": event["id"], "type": event["type"], "mode": mode, "status": 0})
            return 0
        body = json.dumps(event).encode()
        timestamp = int(self.clock.time()) - (STALE_SECONDS if mode == "stale" else 0)
        secret = self.webhook_secret + ("-wrong" if mode == "bad_signature" else "")
        headers = signed_headers(secret=secret, event_type=event["type"], delivery_id=event["id"],
                                 timestamp=timestamp, body=body)
        status = self._post(body, headers)
        self.deliveries.append({"id": event["id"], "type": event["type"], "mode": mode, "status": status})
        if mode == "duplicate":
            again = self._post(body, headers)
            self.deliveries.append({"id": event["id"], "type": event["type"], "mode": "duplicate", "status": again})
        return status

    def _post(self, body, headers):
        try:
            with httpx.Client(transport=self.webhook_transport, timeout=10.0) as client:
                return client.post(self.webhook_url, content=body, headers=headers).status_code
        except httpx.HTTPError:
            return 0

    def redeliver(self, event_id, mode="normal"):
        event = next((e for e in self.events if e["id"] == event_id), None)
        if event is None:
            raise KeyError(f"no event {event_id}")
        return self.deliver(event, mode=mode)

    def events_after(self, cursor, limit):
        start = int(cursor) if cursor not in (None, "") else 0
        items = self.events[start:start + limit]
        return items, (str(start + len(items)) if items else None)
