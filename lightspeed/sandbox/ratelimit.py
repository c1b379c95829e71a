"""The 2026 leaky bucket per (account, OAuth client), the burst limiter and the request cost table."""
import json
import math
import threading


BURST_FRACTION = 2 / 9  # documented example: 20 requests/s with a 90-drip bucket (fraction inferred)
SALE_RESOURCES = {"Sale", "SaleLine"}
CONTAINERS = {"SaleLines", "SalePayments", "ItemShops", "Phones", "Emails", "Addresses", "Websites", "Prices",
              "SaleNotes"}


def bucket_size(registers):
    return 90 + 10 * max(0, registers - 1)


def drip_rate(registers):
    return 1 + 0.5 * max(0, registers - 1)


def burst_limit(registers):
    return max(1, math.floor(bucket_size(registers) * BURST_FRACTION))


def fmt_number(value):
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return text or "0"


class Bucket:
    def __init__(self, size, drip, burst):
        self.size, self.drip, self.burst = size, drip, burst
        self.level = 0.0
        self.updated = None
        self.window = None
        self.window_count = 0

    def _drain(self, now):
        if self.updated is not None:
            elapsed = max(0.0, now - self.updated)  # a clock that steps back never fills the bucket
            self.level = max(0.0, self.level - elapsed * self.drip)
        self.updated = max(now, self.updated or now)
        window = math.floor(now)
        if window != self.window:
            self.window, self.window_count = window, 0

    def admit(self, now, cost):
        """Charge `cost`, or return (limit type, retry-after seconds) when the request is refused.

        Overflow-once: a request is refused only while the level is already above the size, so the
        first request that pushes it over still passes."""
        self._drain(now)
        if self.window_count >= self.burst:
            return "api-burst-limiter", max(1, math.ceil(self.window + 1 - now))
        if self.level > self.size:
            return "api-leaky-bucket", max(1, math.ceil((self.level - self.size) / self.drip))
        self.level += cost
        self.window_count += 1
        return None

    def headers(self, cost):
        return {
            "X-LS-Api-Bucket-Level": f"{fmt_number(self.level)}/{self.size}",
            "X-LS-API-Burst-Level": f"{self.window_count}/{self.burst}",
            "X-LS-Api-Drip-Rate": fmt_number(self.drip),
            "X-LS-Api-Request-Cost": fmt_number(cost),
        }


class RateLimiter:
    def __init__(self, registers):
        self.registers = registers
        self.buckets = {}
        self.lock = threading.Lock()

    def bucket(self, account_id, client_id):
        key = (account_id, client_id)
        if key not in self.buckets:
            r = self.registers
            self.buckets[key] = Bucket(bucket_size(r), drip_rate(r), burst_limit(r))
        return self.buckets[key]

    def reset(self):
        with self.lock:
            self.buckets.clear()


def nested_entities(payload, container=False):
    """Count nested related entities in a POST/PUT payload (+0.5 drips each)."""
    count = 0
    if isinstance(payload, list):
        return sum(nested_entities(p) + (1 if isinstance(p, dict) else 0) for p in payload)
    if not isinstance(payload, dict):
        return 0
    for key, value in payload.items():
        if isinstance(value, list):
            count += nested_entities(value)
        elif isinstance(value, dict):
            count += (0 if key in CONTAINERS else 1) + nested_entities(value)
    return count


def write_cost(resource_name, payload, *, path_tail=""):
    if resource_name == "Category" or path_tail == "refund":
        base = 10.0
    elif resource_name in SALE_RESOURCES:
        base = 2.0
        if isinstance(payload, dict) and str(payload.get("completed", "")).lower() in ("true", "1"):
            base += 3.0
    else:
        base = 1.0
    return base + 0.5 * nested_entities(payload if isinstance(payload, dict) else {})


def parse_payload(raw):
    try:
        return json.loads(raw) if raw else {}
    except ValueError:
        return None
