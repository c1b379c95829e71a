import uuid

import pytest

from lightspeed.ratelimit import BucketHeaders, RateLimiter


@pytest.fixture(params=["redis", "local"])
def limiter(request, clock, settings):
    if request.param == "local":
        settings.REDIS_URL = ""
    return RateLimiter(account_id=uuid.uuid4().hex, client_id="c", clock=clock, register_limit=1)


def headers(level, size=90, drip=1, burst=20, cost=1):
    return BucketHeaders(level=level, size=size, drip=drip, burst=burst, cost=cost)


def test_waits_before_the_bucket_would_overflow(limiter, clock):
    start = clock.time()
    limiter.observe(0, headers(89.5))
    limiter.acquire(1.8)
    assert clock.time() - start == pytest.approx(1.3)  # 89.5 + 1.8 - 90 = 1.3 drips at 1 drip/s


def test_reservations_in_flight_count_against_the_bucket(limiter, clock):
    limiter.observe(0, headers(0))
    for _ in range(18):  # 18 × 5 = 90 reserved, no answers yet
        limiter.acquire(5)
    start = clock.time()
    limiter.acquire(5)
    assert clock.time() - start >= 5 - 1e-9


def test_header_level_corrects_the_prediction(limiter, clock):
    limiter.acquire(1)
    limiter.observe(1, headers(80, drip=2))
    start = clock.time()
    limiter.acquire(12)  # 80 + 12 - 90 = 2 drips at 2/s
    assert clock.time() - start == pytest.approx(1.0)


def test_burst_window_is_respected(limiter, clock):
    limiter.observe(0, headers(0, burst=4))  # one below the limit: room for a request we did not see
    start = clock.time()
    for _ in range(3):
        limiter.acquire(1)
    assert clock.time() == start
    limiter.acquire(1)
    assert clock.time() - start == pytest.approx(1.0)
