"""The feed check's fetch: the feed as Miinto gets it — over HTTP at the connector's public address
(`PUBLIC_URL`), with gzip and the feed's HTTP Basic user, parsed as TSV. A feed Miinto cannot read (a 500, a
login page, a broken header) fails the check, whatever the database holds."""
import base64
import csv
import io
from dataclasses import dataclass

from django.conf import settings as django_settings

from connector.errors import TransientError
from connector.http import ApiError, BaseApiClient

from .feed import feed_header, feed_path

USER_AGENT = "connector-feed-check/1"  # the feed view does not count these as Miinto's fetches
TSV = "text/tab-separated-values"


class FeedFetcher(BaseApiClient):
    name = "public_url"  # the connector's own address (tests serve it in-process: tests/django_transport.py)
    max_attempts = 1  # the run is retried with backoff instead

    def error_message(self, response):  # an error page is not worth quoting: its type and size say enough
        return f"({response.headers.get('Content-Type', 'no content type')}, {len(response.content)} bytes)"


@dataclass
class FetchedFeed:
    status: int
    header: list
    rows: int
    size: int
    problems: list


def feed_fetch(*, settings, clock=None, miinto_shop_id=None):
    """GET the feed like Miinto; raises TransientError when Miinto would not get a feed at all."""
    headers = {"User-Agent": USER_AGENT, "Accept-Encoding": "gzip"}
    if settings.feed_basic_user:
        pair = f"{settings.feed_basic_user}:{settings.feed_basic_password or ''}".encode()
        headers["Authorization"] = "Basic " + base64.b64encode(pair).decode()
    path = feed_path(settings=settings, miinto_shop_id=miinto_shop_id)
    try:
        with FeedFetcher(base_url=django_settings.PUBLIC_URL, clock=clock) as client:
            response = client.request("GET", path, headers=headers)
    except ApiError as exc:
        status = f"HTTP {exc.status}" if exc.status else "no answer"
        raise TransientError(f"Miinto cannot fetch the feed: its address at {django_settings.PUBLIC_URL} "
                             f"answered {status} {_reason(exc)}") from None
    return _parsed(response, feed_header(extra_columns=settings.feed_extra_columns, currency=settings.feed_currency))


def _reason(exc):
    return str(exc).rsplit(": ", 1)[-1][:200]


def _parsed(response, expected_header):
    kind = response.headers.get("Content-Type", "")
    if not kind.startswith(TSV):
        raise TransientError(f"Miinto cannot read the feed: it answered {kind or 'no content type'} instead of {TSV}")
    text = response.content.decode("utf-8", errors="replace")
    lines = list(csv.reader(io.StringIO(text), dialect="excel-tab"))
    header = lines[0] if lines else []
    if tuple(header) != tuple(expected_header):
        raise TransientError(f"Miinto cannot read the feed: its first line is not the column header "
                             f"({', '.join(expected_header[:3])}, …)")
    problems = [f"line {n}: {len(row)} columns instead of {len(header)}"
                for n, row in enumerate(lines[1:], 2) if len(row) != len(header)]
    return FetchedFeed(status=response.status_code, header=header, rows=len(lines) - 1, size=len(response.content),
                       problems=problems)
