"""The leaky bucket per (account, OAuth client), shared by every worker through Redis.

Model: `level` drains at `drip` per second. Before a request we reserve its predicted cost
and wait until `level + cost <= size`, so the server never sees an overflow (its rule would
allow one, but then 429s follow). The response's X-LS-Api-Bucket-Level is the truth: the
level becomes that value plus the cost of requests other workers still have in flight.
The burst limiter (fixed 1-s windows) is respected with a sliding window: a request goes
only if the (burst − 1)-th previous send is at least a second old.

Times come from the injected clock (FakeClock in tests, ScaledClock in benchmarks), so all
workers of one deployment must share a clock source (the system clock in production).
Without REDIS_URL (the demo) the same model runs in-process.
"""
import threading
from dataclasses import dataclass

from django.conf import settings

from connector.errors import WaitTooLong

DEFAULT_SIZE = 90.0
DEFAULT_DRIP = 1.0
DEFAULT_BURST = 10
STATE_TTL_SECONDS = 3600
MAX_SINGLE_WAIT = 120.0
MIN_WAIT = 0.001
# One request per second less than the burst limit: a request we did not count (the account
# discovery while connecting, another deployment) must not tip a window over.
BURST_MARGIN = 1


def bucket_defaults(register_limit=1):
    extra = max(0, int(register_limit or 1) - 1)
    return DEFAULT_SIZE + 10 * extra, DEFAULT_DRIP + 0.5 * extra


@dataclass
class BucketHeaders:
    level: float | None = None
    size: float | None = None
    drip: float | None = None
    burst: int | None = None
    cost: float | None = None

    @classmethod
    def from_response(cls, headers):
        level, size = _fraction(headers.get("X-LS-Api-Bucket-Level"))
        _, burst = _fraction(headers.get("X-LS-API-Burst-Level"))
        return cls(level=level, size=size, drip=_number(headers.get("X-LS-Api-Drip-Rate")),
                   burst=int(burst) if burst else None, cost=_number(headers.get("X-LS-Api-Request-Cost")))


def _number(value):
    try:
        return float(value) if value not in (None, "") else None
    except ValueError:
        return None


def _fraction(value):
    if not value or "/" not in value:
        return None, None
    left, right = value.split("/", 1)
    return _number(left), _number(right)


_RESERVE = """
local h = redis.call('HMGET', KEYS[1], 'level', 'at', 'size', 'drip', 'inflight', 'burst')
local now, cost = tonumber(ARGV[1]), tonumber(ARGV[2])
local level, at = tonumber(h[1]) or 0, tonumber(h[2]) or now
local size, drip = tonumber(h[3]) or tonumber(ARGV[3]), tonumber(h[4]) or tonumber(ARGV[4])
local inflight, burst = tonumber(h[5]) or 0, tonumber(h[6]) or tonumber(ARGV[5])
local window = math.max(1, burst - tonumber(ARGV[7]))
if now > at then level = math.max(0, level - (now - at) * drip); at = now end
local wait = 0
if level > 0 and level + cost > size + 1e-6 then wait = (level + cost - size) / drip end
if wait == 0 and burst > 0 and redis.call('LLEN', KEYS[2]) >= window then
  local oldest = tonumber(redis.call('LINDEX', KEYS[2], window - 1))
  if oldest and now - oldest < 1 then wait = 1 - (now - oldest) end
end
if wait > 0 then return tostring(wait) end
redis.call('HSET', KEYS[1], 'level', level + cost, 'at', at, 'size', size, 'drip', drip,
           'inflight', inflight + cost, 'burst', burst)
redis.call('LPUSH', KEYS[2], now)
redis.call('LTRIM', KEYS[2], 0, 99)
redis.call('EXPIRE', KEYS[1], ARGV[6])
redis.call('EXPIRE', KEYS[2], ARGV[6])
return '0'
"""

_OBSERVE = """
local h = redis.call('HMGET', KEYS[1], 'inflight', 'level', 'at', 'drip')
local inflight = math.max(0, (tonumber(h[1]) or 0) - tonumber(ARGV[2]))
redis.call('HSET', KEYS[1], 'inflight', inflight)
if ARGV[3] ~= '' then
  redis.call('HSET', KEYS[1], 'level', tonumber(ARGV[3]) + inflight, 'at', ARGV[1])
end
if ARGV[4] ~= '' then redis.call('HSET', KEYS[1], 'size', ARGV[4]) end
if ARGV[5] ~= '' then redis.call('HSET', KEYS[1], 'drip', ARGV[5]) end
if ARGV[6] ~= '' then redis.call('HSET', KEYS[1], 'burst', ARGV[6]) end
redis.call('EXPIRE', KEYS[1], ARGV[7])
return '1'
"""


def _arg(value):
    return "" if value is None else repr(float(value)) if not isinstance(value, int) else str(value)


class RedisBucket:
    def __init__(self, redis, key, *, size, drip, burst=DEFAULT_BURST):
        self.redis = redis
        self.keys = [f"{key}:state", f"{key}:sends"]
        self.defaults = (size, drip, burst)
        self._reserve = redis.register_script(_RESERVE)
        self._observe = redis.register_script(_OBSERVE)

    def try_reserve(self, now, cost):
        size, drip, burst = self.defaults
        args = [repr(now), repr(cost), repr(size), repr(drip), burst, STATE_TTL_SECONDS, BURST_MARGIN]
        return float(self._reserve(keys=self.keys, args=args))

    def observe(self, now, reserved, headers):
        args = [repr(now), repr(reserved), _arg(headers.level), _arg(headers.size), _arg(headers.drip),
                "" if headers.burst is None else str(headers.burst), STATE_TTL_SECONDS]
        self._observe(keys=self.keys, args=args)

    def state(self):
        raw = self.redis.hgetall(self.keys[0])
        return {k.decode(): float(v) for k, v in raw.items()}


class LocalBucket:
    """The same model in-process (demo without Redis); shared by the threads of one process."""

    _states = {}
    _lock = threading.Lock()

    def __init__(self, key, *, size, drip, burst=DEFAULT_BURST):
        self.key = key
        with self._lock:
            self._states.setdefault(key, {"level": 0.0, "at": None, "size": size, "drip": drip,
                                          "inflight": 0.0, "burst": burst, "sends": []})

    def try_reserve(self, now, cost):
        with self._lock:
            s = self._states[self.key]
            at = s["at"] if s["at"] is not None else now
            if now > at:
                s["level"], s["at"] = max(0.0, s["level"] - (now - at) * s["drip"]), now
            else:
                s["at"] = at
            if s["level"] > 0 and s["level"] + cost > s["size"] + 1e-6:
                return (s["level"] + cost - s["size"]) / s["drip"]
            sends, window = s["sends"], max(1, int(s["burst"]) - BURST_MARGIN)
            if s["burst"] and len(sends) >= window and now - sends[-window] < 1:
                return 1 - (now - sends[-window])
            s["level"] += cost
            s["inflight"] += cost
            sends.append(now)
            del sends[:-100]
            return 0.0

    def observe(self, now, reserved, headers):
        with self._lock:
            s = self._states[self.key]
            s["inflight"] = max(0.0, s["inflight"] - reserved)
            if headers.level is not None:
                s["level"], s["at"] = headers.level + s["inflight"], now
            for name in ("size", "drip", "burst"):
                if getattr(headers, name) is not None:
                    s[name] = getattr(headers, name)

    def state(self):
        with self._lock:
            return {k: v for k, v in self._states[self.key].items() if k != "sends"}


_redis_clients = {}


def _redis():
    import redis

    url = settings.REDIS_URL
    if url not in _redis_clients:
        _redis_clients[url] = redis.Redis.from_url(url)
    return _redis_clients[url]


class RateLimiter:
    """acquire(cost) before sending (sleeping on the clock as needed); observe(...) after.

    With `yield_after` (a run that may give its worker slot back), a wait that would bring this
    limiter's waiting past that many seconds raises WaitTooLong instead of sleeping; its seconds
    are the wait, at least until the bucket is half empty, so the resumed run gets a burst.
    """

    def __init__(self, *, account_id, client_id, clock, register_limit=1, yield_after=None):
        size, drip = bucket_defaults(register_limit)
        self.size = size
        self.refill_seconds = size / 2 / drip
        self.yield_after = yield_after
        key = f"lightspeed:bucket:{account_id}:{client_id}"
        if settings.REDIS_URL:
            self.bucket = RedisBucket(_redis(), key, size=size, drip=drip)
        else:
            self.bucket = LocalBucket(key, size=size, drip=drip)
        self.clock = clock
        self.waited = 0.0

    def acquire(self, cost):
        while True:
            wait = self.bucket.try_reserve(self.clock.time(), cost)
            if wait <= 0:
                return
            if self.yield_after is not None and self.waited + wait > self.yield_after:
                raise WaitTooLong(max(wait, self.refill_seconds))
            wait = min(max(wait, MIN_WAIT), MAX_SINGLE_WAIT)  # tiny waits vanish in float time
            self.waited += wait
            self.clock.sleep(wait)

    def observe(self, reserved, headers):
        self.bucket.observe(self.clock.time(), reserved, headers)

    def release(self, reserved):
        """The request got no response: forget it as in flight, keep its cost in the level (it may have counted)."""
        self.bucket.observe(self.clock.time(), reserved, BucketHeaders())
